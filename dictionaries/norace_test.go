//go:build !race

package dictionaries

const raceEnabled = false
