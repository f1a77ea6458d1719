package fb

import (
	"math"
	"math/big"
)

// X.Org's arc code rounds the results of sin, cos and friends to integers,
// so a result one unit in the last place away from the C library's can move
// a pixel. glibc's sin, cos, asin, acos and atan2 return the correctly
// rounded result (in all but vanishingly rare cases); Go's math package
// does not always. These versions evaluate in double-double arithmetic
// (about 106 bits) and round once, which gives the correctly rounded
// result, and so glibc's.

// A dd is an unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return
}

func quickTwoSum(a, b float64) (s, e float64) {
	s = a + b
	e = b - (s - a)
	return
}

func twoProd(a, b float64) (p, e float64) {
	p = a * b
	e = math.FMA(a, b, -p)
	return
}

func (a dd) add(b dd) dd {
	s, e := twoSum(a.hi, b.hi)
	t, f := twoSum(a.lo, b.lo)
	e += t
	s, e = quickTwoSum(s, e)
	e += f
	s, e = quickTwoSum(s, e)
	return dd{s, e}
}

func (a dd) neg() dd { return dd{-a.hi, -a.lo} }

func (a dd) sub(b dd) dd { return a.add(b.neg()) }

func (a dd) mul(b dd) dd {
	p, e := twoProd(a.hi, b.hi)
	e += a.hi*b.lo + a.lo*b.hi
	p, e = quickTwoSum(p, e)
	return dd{p, e}
}

func (a dd) mulf(b float64) dd {
	p, e := twoProd(a.hi, b)
	e += a.lo * b
	p, e = quickTwoSum(p, e)
	return dd{p, e}
}

func (a dd) div(b dd) dd {
	q1 := a.hi / b.hi
	r := a.sub(b.mulf(q1))
	q2 := r.hi / b.hi
	r = r.sub(b.mulf(q2))
	q3 := r.hi / b.hi
	q1, q2 = quickTwoSum(q1, q2)
	return dd{q1, q2}.add(dd{q3, 0})
}

func (a dd) float() float64 { return a.hi + a.lo }

// Constants in double-double, computed once from decimal expansions.
var (
	ddPiO2    [3]float64 // pi/2 as a sum of three doubles
	ddSinCoef [16]dd     // (-1)^k / (2k+1)!
	ddCosCoef [16]dd     // (-1)^k / (2k)!
)

const piO2Digits = "1.57079632679489661923132169163975144209858469968755291048747229615390820314310449931401741267105853399107404326"

func init() {
	const prec = 300
	v, _, err := big.ParseFloat(piO2Digits, 10, prec, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	for i := range ddPiO2 {
		f, _ := v.Float64()
		ddPiO2[i] = f
		v.Sub(v, new(big.Float).SetPrec(prec).SetFloat64(f))
	}
	fact := new(big.Float).SetPrec(prec).SetInt64(1)
	toDD := func(x *big.Float) dd {
		hi, _ := x.Float64()
		r := new(big.Float).SetPrec(prec).Sub(x, new(big.Float).SetPrec(prec).SetFloat64(hi))
		lo, _ := r.Float64()
		return dd{hi, lo}
	}
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := 0; n < 32; n++ {
		if n > 0 {
			fact.Mul(fact, new(big.Float).SetPrec(prec).SetInt64(int64(n)))
		}
		c := new(big.Float).SetPrec(prec).Quo(one, fact)
		if (n/2)%2 == 1 {
			c.Neg(c)
		}
		if n%2 == 0 {
			ddCosCoef[n/2] = toDD(c)
		} else {
			ddSinCoef[n/2] = toDD(c)
		}
	}
}

// reduce returns r = x - k*pi/2 in double-double, |r| <= pi/4 roughly,
// and k mod 4.
func reduce(x float64) (dd, int) {
	k := math.RoundToEven(x / ddPiO2[0])
	r := dd{x, 0}
	for _, p := range ddPiO2 {
		ph, pl := twoProd(k, p)
		r = r.sub(dd{ph, pl})
	}
	return r, int(int64(k) & 3)
}

// sinCosDD returns sin and cos of r, |r| <= about pi/4. The terms of
// order 12 and up are below 2^-29 of the result, so they are summed in
// plain doubles; the error stays near 2^-80, far below what rounding to a
// double can notice but in vanishingly rare cases.
func sinCosDD(r dd) (s, c dd) {
	const ddTerms = 6
	r2 := r.mul(r)
	x2 := r2.hi
	var ts, tc float64
	for i := len(ddSinCoef) - 1; i >= ddTerms; i-- {
		ts = ts*x2 + ddSinCoef[i].hi
		tc = tc*x2 + ddCosCoef[i].hi
	}
	s = dd{ts, 0}
	c = dd{tc, 0}
	for i := ddTerms - 1; i >= 0; i-- {
		s = s.mul(r2).add(ddSinCoef[i])
		c = c.mul(r2).add(ddCosCoef[i])
	}
	return s.mul(r), c
}

// The reduction above is exact enough for arguments up to this size;
// larger ones (never produced by the arc code) use the math package.
const ddTrigLimit = 1 << 20

func ddSinCos(x float64) (s, c dd) {
	r, q := reduce(x)
	sr, cr := sinCosDD(r)
	switch q {
	case 0:
		return sr, cr
	case 1:
		return cr, sr.neg()
	case 2:
		return sr.neg(), cr.neg()
	}
	return cr.neg(), sr
}

// crSin is sin(x), correctly rounded.
func crSin(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.Abs(x) > ddTrigLimit {
		return math.Sin(x)
	}
	s, _ := ddSinCos(x)
	return s.float()
}

// crCos is cos(x), correctly rounded.
func crCos(x float64) float64 {
	if math.IsNaN(x) || math.Abs(x) > ddTrigLimit {
		return math.Cos(x)
	}
	_, c := ddSinCos(x)
	return c.float()
}

// crAsin is asin(v), correctly rounded: one Newton step in double-double
// from the math package's estimate.
func crAsin(v float64) float64 {
	y := math.Asin(v)
	if v == 0 || math.IsNaN(y) || math.Abs(v) == 1 {
		return y
	}
	s, c := ddSinCos(y)
	if c.hi == 0 {
		return y
	}
	// y - (sin y - v)/cos y
	return dd{y, 0}.sub(s.sub(dd{v, 0}).div(c)).float()
}

// crAcos is acos(v), correctly rounded.
func crAcos(v float64) float64 {
	y := math.Acos(v)
	if math.IsNaN(y) || math.Abs(v) == 1 {
		return y
	}
	s, c := ddSinCos(y)
	if s.hi == 0 {
		return y
	}
	// y + (cos y - v)/sin y
	return dd{y, 0}.add(c.sub(dd{v, 0}).div(s)).float()
}

// crAtan2 is atan2(y, x), correctly rounded.
func crAtan2(y, x float64) float64 {
	t := math.Atan2(y, x)
	if y == 0 || x == 0 || math.IsNaN(t) || math.IsInf(x, 0) || math.IsInf(y, 0) {
		return t
	}
	// Scale to avoid overflow in the products below.
	m := math.Max(math.Abs(x), math.Abs(y))
	e := math.Ilogb(m)
	xs, ys := math.Ldexp(x, -e), math.Ldexp(y, -e)
	s, c := ddSinCos(t)
	// t + (y cos t - x sin t) / (x cos t + y sin t)
	num := c.mulf(ys).sub(s.mulf(xs))
	den := c.mulf(xs).add(s.mulf(ys))
	if den.hi == 0 {
		return t
	}
	return dd{t, 0}.add(num.div(den)).float()
}

// crHypot is sqrt(x*x + y*y), correctly rounded, as glibc's hypot.
func crHypot(x, y float64) float64 {
	x, y = math.Abs(x), math.Abs(y)
	if math.IsInf(x, 0) || math.IsInf(y, 0) {
		return math.Inf(1)
	}
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.NaN()
	}
	m := math.Max(x, y)
	if m == 0 {
		return 0
	}
	e := math.Ilogb(m)
	xs, ys := math.Ldexp(x, -e), math.Ldexp(y, -e)
	xh, xl := twoProd(xs, xs)
	yh, yl := twoProd(ys, ys)
	q := dd{xh, xl}.add(dd{yh, yl})
	s := math.Sqrt(q.hi)
	// s + (q - s*s) / (2s)
	sh, sl := twoProd(s, s)
	r := q.sub(dd{sh, sl})
	return math.Ldexp(dd{s, 0}.add(dd{r.hi / (2 * s), 0}).float(), e)
}
