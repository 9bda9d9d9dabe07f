// Package arch holds no code: its test checks the shape of the house, which
// package may import which (docs/developers.md draws it).
package arch
