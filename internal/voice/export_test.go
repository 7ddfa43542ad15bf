package voice

// ShapeArabic is shapeArabic for the tests of the package's outside.
var ShapeArabic = shapeArabic
