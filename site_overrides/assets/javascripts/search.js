// Search page: runs the query from ?q= against the Pagefind index and shows results with
// filters. Layout only; every text from the index is inserted as text, never as HTML
// (excerpts are rebuilt node by node keeping only <mark>).

const root = document.querySelector(".guide-search");
const form = document.querySelector(".guide-search-page form");
const input = form.querySelector("input[name=q]");
const status = root.querySelector(".guide-search__status");
const list = root.querySelector(".guide-search__list");
const more = root.querySelector(".guide-search__more");
const filtersBox = root.querySelector(".guide-search__filters");

const PAGE_SIZE = 10;
const FILTER_ORDER = ["部门", "事项类型", "服务对象", "收费", "到现场次数", "网上可办"];

let pagefind;
let results = [];
let shown = 0;
let selected = {};

function siteRoot() {
  return new URL(root.dataset.siteRoot, location.href);
}

async function load() {
  if (!pagefind) {
    const bundle = new URL(root.dataset.pagefindBundle, location.href);
    pagefind = await import(new URL("pagefind.js", bundle).href);
    await pagefind.options({ baseUrl: siteRoot().pathname, excerptLength: 40 });
    await pagefind.init();
    await pagefind.filters(); // loads the filter index, so each search reports its counts
  }
  return pagefind;
}

function text(tag, className, value) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  element.textContent = value;
  return element;
}

// Pagefind excerpts are HTML with <mark> around hits; keep the marks, treat the rest as text.
function excerptNode(html) {
  const out = text("p", "guide-search__excerpt", "");
  const parsed = new DOMParser().parseFromString(`<div>${html}</div>`, "text/html");
  for (const node of parsed.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") out.append(text("mark", "", node.textContent));
    else out.append(document.createTextNode(node.textContent));
  }
  return out;
}

function renderFilters(available) {
  filtersBox.replaceChildren();
  for (const name of FILTER_ORDER) {
    const values = available[name];
    if (!values || Object.keys(values).length === 0) continue;
    const fieldset = document.createElement("fieldset");
    fieldset.append(text("legend", "", name));
    for (const [value, count] of Object.entries(values)) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = value;
      box.checked = (selected[name] || []).includes(value);
      box.addEventListener("change", () => {
        const current = new Set(selected[name] || []);
        box.checked ? current.add(value) : current.delete(value);
        selected[name] = [...current];
        if (selected[name].length === 0) delete selected[name];
        run(input.value);
      });
      label.append(box, document.createTextNode(` ${value}（${count}）`));
      fieldset.append(label);
    }
    filtersBox.append(fieldset);
  }
}

// Pagefind looks a Chinese query up as one word. When the index cut that text differently
// (参保证明 was indexed as 参保 + 证明), nothing matches; so retry with the query cut into two
// or three pieces of at least two characters, and keep the first cut that finds something.
// Only short queries are cut: those are the names and nicknames that segmentation trips on,
// and longer ones would match loosely.
function cuts(chars, pieces) {
  if (pieces === 1) return chars.length >= 2 ? [[chars.join("")]] : [];
  const out = [];
  for (let i = 2; i <= chars.length - 2 * (pieces - 1); i++) {
    for (const rest of cuts(chars.slice(i), pieces - 1)) out.push([chars.slice(0, i).join(""), ...rest]);
  }
  return out;
}

async function searchWithCuts(api, query, filters) {
  const whole = await api.search(query, { filters });
  if (whole.results.length || /\s/.test(query) || !/[\u3400-\u9fff]/.test(query)) return whole;
  const chars = [...query];
  if (chars.length > 6) return whole;
  for (const pieces of [2, 3]) {
    for (const cut of cuts(chars, pieces)) {
      const found = await api.search(cut.join(" "), { filters });
      if (found.results.length) return found;
    }
  }
  return whole;
}

async function showMore() {
  const batch = results.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(batch.map((r) => r.data()));
  for (const item of data) {
    const li = document.createElement("li");
    const link = text("a", "guide-search__title", item.meta.title || item.url);
    link.href = item.url;
    li.append(link);
    const facts = [item.meta.department, item.meta.promised].filter(Boolean).join(" · ");
    if (facts) li.append(text("span", "guide-search__meta", facts));
    li.append(excerptNode(item.excerpt));
    list.append(li);
  }
  shown += batch.length;
  more.hidden = shown >= results.length;
}

async function run(query) {
  query = query.trim();
  const url = new URL(location.href);
  query ? url.searchParams.set("q", query) : url.searchParams.delete("q");
  history.replaceState(null, "", url);
  list.replaceChildren();
  more.hidden = true;
  if (!query) {
    status.textContent = "请输入想办的事，如：低保、开店、身份证。";
    filtersBox.replaceChildren();
    return;
  }
  status.textContent = `正在搜索“${query}”…`;
  const api = await load();
  const search = await searchWithCuts(api, query, selected);
  results = search.results;
  shown = 0;
  renderFilters(search.filters);
  await showMore();
  // Announced last, once the first results are on the page.
  status.textContent = results.length
    ? `找到 ${results.length} 个与“${query}”相关的事项。`
    : `没有找到与“${query}”相关的事项。可以换个说法，或按主题、部门查找。`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run(input.value);
});
more.addEventListener("click", showMore);

const initial = new URL(location.href).searchParams.get("q") || "";
input.value = initial;
run(initial).catch((error) => {
  status.textContent = "搜索暂时无法使用，请按主题、部门或 A–Z 查找。";
  console.error(error);
});
