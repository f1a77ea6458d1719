package pixelproto

import (
	"crypto/des"
	"crypto/subtle"
)

// VNC Authentication: the server sends 16 random bytes, the client returns
// them encrypted with DES under a key made from the password: its first
// eight bytes, zero-padded, each with its bits in reverse order (a quirk
// of the original implementation that every VNC program keeps).

func vncAuthKey(password []byte) []byte {
	key := make([]byte, 8)
	copy(key, password)
	for i, b := range key {
		var r byte
		for j := range 8 {
			r |= (b >> j & 1) << (7 - j)
		}
		key[i] = r
	}
	return key
}

// vncAuthResponse encrypts a 16-byte challenge.
func vncAuthResponse(password, challenge []byte) []byte {
	c, _ := des.NewCipher(vncAuthKey(password)) // an 8-byte key never fails
	out := make([]byte, 16)
	c.Encrypt(out[:8], challenge[:8])
	c.Encrypt(out[8:], challenge[8:16])
	return out
}

// vncAuthCheck reports whether response answers challenge for password.
func vncAuthCheck(password, challenge, response []byte) bool {
	return subtle.ConstantTimeCompare(vncAuthResponse(password, challenge), response) == 1
}
