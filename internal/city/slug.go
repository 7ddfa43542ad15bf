package city

import "observatory/internal/web"

// Slugify makes the readable part of a city's URL from its name:
// "Düsseldorf" → "dusseldorf", "Porto-Novo" → "porto-novo".
func Slugify(name string) string { return web.Slug(name, 80, "city") }
