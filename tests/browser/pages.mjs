// The public pages every browser check walks: each page a visitor reaches, in each language.
export const PAGES = [
  "/",
  "/bases",
  "/bases/banner-heritage-hall",
  // .ci/run's panorama step adds this hall panorama before these checks run.
  "/bases/banner-heritage-hall/panoramas/1",
  "/items",
  "/items?category=traditional_music",
  "/items?q=%E5%AE%89%E4%BB%A3",
  "/items?q=andaiwu",
  "/items?q=nothing-matches-this",
  "/items/urliger",
  "/items/andai-dance",
  "/items/mongolian-horse-gear-craft",
  // After .ci/run's IIIF step this item also has a film and a recording with captions and a
  // transcript, so the players and the transcript are checked too.
  "/items/morin-khuur-music",
  "/exhibitions",
  "/exhibitions/voices-of-horqin",
  "/exhibitions/voices-of-horqin/stops/1",
  "/exhibitions/voices-of-horqin/labels",
  "/items/no-such-item",
  "/admin/login",
  "/visit",
];
export const LANGS = ["zh", "en", "mn"];

/** The page's URL in one language. */
export function inLanguage(base, path, lang) {
  return `${base}${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;
}
