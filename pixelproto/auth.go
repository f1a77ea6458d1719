package pixelproto

import (
	"bytes"
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

// vncPasswdKey is the fixed key with which vncpasswd obscures passwords.
var vncPasswdKey = []byte{23, 82, 107, 6, 35, 78, 88, 7}

// PasswordFromFile returns the password held in the contents of a
// password file (for --rfb-password-file): either the 8-byte obscured form
// that vncpasswd writes, or text, whose first line is the password.
func PasswordFromFile(data []byte) []byte {
	if len(data) == 8 && !printable(data) {
		c, _ := des.NewCipher(vncAuthKey(vncPasswdKey))
		out := make([]byte, 8)
		c.Decrypt(out, data)
		if i := bytes.IndexByte(out, 0); i >= 0 {
			out = out[:i]
		}
		return out
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r"))
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}
