# Cross-check for package protocol: python-xlib packs the messages the Go
# test describes, and parses the bytes the Go code wrote.
#
# usage: /usr/bin/python3 xlibcheck.py l|B < cases.json > results.json
#
# python-xlib always uses the machine's byte order. For 'B' (MSB first) on a
# little-endian machine, its struct and array use is redirected to
# big-endian, which is all the byte order it has.
import array as _array
import json
import struct as _struct
import sys

from Xlib.protocol import rq

order = sys.argv[1]
swap = (order == 'B') != (sys.byteorder == 'big')
prefix = '>' if order == 'B' else '<'


class _Struct:
    """The struct module, with '=' (native order) made explicit."""

    @staticmethod
    def _fmt(fmt):
        if isinstance(fmt, bytes):
            fmt = fmt.decode()
        if fmt[:1] in '=@':
            return prefix + fmt[1:]
        if fmt[:1] in '<>!':
            return fmt
        return prefix + fmt

    def pack(self, fmt, *args):
        return _struct.pack(self._fmt(fmt), *args)

    def unpack(self, fmt, data):
        return _struct.unpack(self._fmt(fmt), data)

    def calcsize(self, fmt):
        return _struct.calcsize(self._fmt(fmt))

    error = _struct.error


class _Array(_array.array):
    """array.array that reads and writes bytes in the chosen order."""

    def __new__(cls, code, init=None):
        if isinstance(init, (bytes, bytearray, memoryview)):
            a = _array.array.__new__(cls, code)
            a.frombytes(bytes(init))
            return a
        if init is None:
            return _array.array.__new__(cls, code)
        return _array.array.__new__(cls, code, init)

    def frombytes(self, data):
        a = _array.array(self.typecode)
        a.frombytes(data)
        if a.itemsize > 1:
            a.byteswap()
        self.extend(a)

    def tobytes(self):
        a = _array.array(self.typecode, self)
        if a.itemsize > 1:
            a.byteswap()
        return a.tobytes()

    def __getitem__(self, i):
        v = _array.array.__getitem__(self, i)
        if isinstance(i, slice):
            return list(v)
        return v


if swap:
    rq.struct = _Struct()
    rq.array = _Array

from Xlib.protocol import event, request  # noqa: E402


class FakeDisplay:
    def get_resource_class(self, *args, **keys):
        return None

    def send_request(self, *args):
        pass


def decode(v):
    if isinstance(v, dict):
        if '$b' in v:
            return bytes.fromhex(v['$b'])
        if '$t' in v:
            return tuple(decode(x) for x in v['$t'])
        return {k: decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode(x) for x in v]
    return v


def encode(v):
    if isinstance(v, (bytes, bytearray)):
        return {'$b': bytes(v).hex()}
    if isinstance(v, (rq.DictWrapper, dict)):
        d = v._data if isinstance(v, rq.DictWrapper) else v
        return {k: encode(x) for k, x in d.items()}
    if isinstance(v, (list, tuple, _array.array)):
        return [encode(x) for x in v]
    return v


display = FakeDisplay()
results = []
for c in json.load(sys.stdin):
    kind, name, args = c['kind'], c['name'], decode(c['args'])
    wire = bytes.fromhex(c['wire'])
    res = {}
    try:
        if kind == 'event':
            cls = getattr(event, name)
            res['packed'] = cls(**args)._binary.hex()
            res['parsed'] = encode(cls(display=display, binarydata=wire)._data)
        else:
            cls = getattr(request, name)
            s = cls._request if kind == 'request' else cls._reply
            res['packed'] = s.to_binary(**args).hex()
            parsed, rest = s.parse_binary(wire, display)
            res['parsed'] = encode(parsed)
    except Exception as e:  # reported to the Go test
        res['error'] = '%s: %r' % (type(e).__name__, e)
    results.append(res)
json.dump(results, sys.stdout)
