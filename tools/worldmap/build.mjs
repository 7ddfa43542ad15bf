// Converts Natural Earth 1:110m country outlines (world-atlas, public domain)
// into internal/geo/world_paths.json: one projected SVG path per country.
//
// The projection (Equal Earth) and its frame are written into the output so
// that internal/geo projects points with exactly the same numbers; the Go
// side repeats the formula, and its tests compare against the "check" points
// written here.
//
// Usage: npm ci && npm run build

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as topojson from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const out = resolve(here, "../../internal/geo/world_paths.json");
const atlasPkg = require("world-atlas/package.json");
const world = JSON.parse(
  readFileSync(require.resolve("world-atlas/countries-110m.json"), "utf8"),
);

// Frame: the full 360° of longitude spans WIDTH units; latitudes from TOP to
// BOTTOM are kept (Antarctica is dropped, the southernmost land left is Tierra
// del Fuego at about -55.6°).
const WIDTH = 1000;
const TOP = 84;
const BOTTOM = -57;

// Equal Earth (Šavrič, Patterson, Jenny 2018), unit sphere.
const A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796;
const M = Math.sqrt(3) / 2;
function equalEarth(lonDeg, latDeg) {
  const lambda = (lonDeg * Math.PI) / 180;
  const phi = (latDeg * Math.PI) / 180;
  const theta = Math.asin(M * Math.sin(phi));
  const t2 = theta * theta, t6 = t2 * t2 * t2;
  const x = (lambda * Math.cos(theta)) /
    (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)));
  const y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
  return [x, y];
}

const SCALE = WIDTH / (2 * equalEarth(180, 0)[0]);
const X0 = WIDTH / 2;
const Y0 = SCALE * equalEarth(0, TOP)[1];
const HEIGHT = Math.ceil(Y0 - SCALE * equalEarth(0, BOTTOM)[1]);

function project(lon, lat) {
  const [x, y] = equalEarth(lon, lat);
  return [X0 + SCALE * x, Y0 - SCALE * y];
}

// Features without an ISO code in Natural Earth: the two de facto entities are
// drawn as part of the ISO country, Kosovo gets the user-assigned code XK.
const MERGE_INTO = { "N. Cyprus": "196", "Somaliland": "706" };
const ALPHA_FOR_NAMELESS = { "Kosovo": "XK" };
const DROP = new Set(["010"]); // Antarctica

// Rings that cross the antimeridian (Fiji, Russia's Chukotka and Wrangel
// Island) are unwrapped to continuous longitudes and cut in two at ±180°.
function unwrap(ring) {
  const outRing = [ring[0].slice()];
  for (let i = 1; i < ring.length; i++) {
    const prev = outRing[i - 1][0];
    let lon = ring[i][0];
    while (lon - prev > 180) lon -= 360;
    while (lon - prev < -180) lon += 360;
    outRing.push([lon, ring[i][1]]);
  }
  return outRing;
}

// Sutherland–Hodgman against one vertical line; keep = +1 keeps x >= b.
function clip(ring, b, keep) {
  const inside = (p) => keep * (p[0] - b) >= 0;
  const res = [];
  for (let i = 0; i < ring.length; i++) {
    const cur = ring[i], prev = ring[(i + ring.length - 1) % ring.length];
    const ci = inside(cur), pi = inside(prev);
    if (ci !== pi) {
      const t = (b - prev[0]) / (cur[0] - prev[0]);
      res.push([b, prev[1] + t * (cur[1] - prev[1])]);
    }
    if (ci) res.push(cur);
  }
  return res;
}

function splitAntimeridian(ring) {
  const u = unwrap(ring);
  const xs = u.map((p) => p[0]);
  const max = Math.max(...xs), min = Math.min(...xs);
  if (max <= 180 && min >= -180) return [ring];
  const b = max > 180 ? 180 : -180;
  const shift = b === 180 ? -360 : 360;
  const inner = clip(u, b, b === 180 ? -1 : 1);
  const outer = clip(u, b, b === 180 ? 1 : -1).map(([x, y]) => [x + shift, y]);
  return [inner, outer].filter((r) => r.length >= 3);
}

// Coordinates are kept in tenths of a unit; the path is absolute for the
// first point of a ring and relative after it, which keeps the file small.
function fmt(tenths) {
  const neg = tenths < 0;
  const a = Math.abs(tenths);
  let s = String(Math.floor(a / 10));
  if (a % 10 !== 0) s = (s === "0" ? "" : s) + "." + (a % 10);
  return (neg ? "-" : "") + s;
}

function join(nums) {
  let s = "";
  for (const n of nums) {
    const t = fmt(n);
    s += s === "" || t.startsWith("-") ? t : " " + t;
  }
  return s;
}

function ringPath(ring) {
  const pts = [];
  for (const [lon, lat] of ring) {
    const [x, y] = project(lon, lat);
    const p = [Math.round(x * 10), Math.round(y * 10)];
    const last = pts[pts.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) pts.push(p);
  }
  while (pts.length > 1 &&
    pts[0][0] === pts[pts.length - 1][0] && pts[0][1] === pts[pts.length - 1][1]) {
    pts.pop();
  }
  if (pts.length < 3) return "";
  const rel = [];
  for (let i = 1; i < pts.length; i++) {
    rel.push(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]);
  }
  return "M" + join(pts[0]) + "l" + join(rel) + "z";
}

function geometryPath(geometry) {
  const polygons = geometry.type === "Polygon"
    ? [geometry.coordinates]
    : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  let d = "";
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (const part of splitAntimeridian(ring)) d += ringPath(part);
    }
  }
  return d;
}

const geoms = world.objects.countries.geometries;
const byId = new Map();
for (const g of geoms) {
  if (g.id !== undefined) byId.set(g.id, [g]);
}
for (const g of geoms) {
  const into = MERGE_INTO[g.properties.name];
  if (into) byId.get(into).push(g);
}

const countries = [];
for (const [id, parts] of byId) {
  if (DROP.has(id)) continue;
  const geometry = parts.length === 1
    ? topojson.feature(world, parts[0]).geometry
    : topojson.merge(world, parts);
  countries.push({ n: id, d: geometryPath(geometry) });
}
for (const g of geoms) {
  const a = ALPHA_FOR_NAMELESS[g.properties.name];
  if (a) countries.push({ a, d: geometryPath(topojson.feature(world, g).geometry) });
}
for (const g of geoms) {
  const name = g.properties.name;
  if (g.id === undefined && !MERGE_INTO[name] && !ALPHA_FOR_NAMELESS[name]) {
    throw new Error(`feature without ISO code not handled: ${name}`);
  }
}
countries.sort((p, q) => (p.n ?? p.a).localeCompare(q.n ?? q.a));

// Points projected here and again by the Go code; its tests require both to
// agree, so a change to either side's formula or frame cannot go unnoticed.
const check = [[0, 0], [51.2277, 6.7735], [45.5019, -73.5674], [-33.8688, 151.2093],
  [83, 179.9], [-55, -179.9], [12.3714, -1.5197]]
  .map(([lat, lon]) => [lat, lon, ...project(lon, lat)]);

const lines = [
  "{",
  `"source":${JSON.stringify(`Natural Earth 1:110m countries (public domain) via world-atlas ${atlasPkg.version}`)},`,
  `"projection":"equal-earth",`,
  `"width":${WIDTH},"height":${HEIGHT},"scale":${SCALE},"x0":${X0},"y0":${Y0},`,
  `"check":${JSON.stringify(check)},`,
  `"countries":[`,
  countries.map((c) => JSON.stringify(c)).join(",\n"),
  "]}",
];
writeFileSync(out, lines.join("\n") + "\n");
console.log(`wrote ${out}: ${countries.length} countries, ${WIDTH}x${HEIGHT}`);
