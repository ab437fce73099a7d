// Drives Debian's chromium through the studio's pages, as a user would:
//   node compat/browser/studio.mjs <studio URL with ?token=...> <screenshot folder>
// Each step waits for what the page must show and fails (exit 1, naming the step) when it
// does not; the caller then checks the database. Run by crates/vitaes-migrate/tests/it/studio.rs.
import { chromium } from "playwright-core";

const [url, shots] = process.argv.slice(2);
if (!url || !shots) {
  console.error("usage: node studio.mjs <studio URL> <screenshot folder>");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
// A refused save or query is a 4xx the page shows: the browser logs those
// loads too, so only the page's own errors count.
page.on("console", (m) => {
  if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
});
page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));

let step = "start";
const expect = (ok, what) => { if (!ok) throw new Error(what); };
const grid = () => page.locator('[data-testid="grid"] tbody tr');
const firstCells = async () => (await grid().locator("td:nth-child(2)").allTextContents());
const waitFirst = async (want) => {
  await page.waitForFunction((w) => {
    const td = document.querySelector('[data-testid="grid"] tbody tr td:nth-child(2)');
    return td && td.textContent === w;
  }, want, { timeout: 10000 });
};
const shot = (name) => page.screenshot({ path: `${shots}/${name}.png` });

try {
  step = "open the studio";
  await page.goto(url);
  expect(!page.url().includes("token="), "the token stays in the address bar");
  await page.locator('nav a[data-table="public.user"]').click();
  await waitFirst("u001");
  expect((await grid().count()) === 50, `50 rows on the first page, not ${await grid().count()}`);
  await shot("tables");

  step = "page through the table";
  await page.locator('[data-testid="next"]').click();
  await waitFirst("u051");

  step = "filter a column";
  await page.locator('[data-filter="email"]').fill("u11");
  await page.locator('[data-filter="email"]').press("Enter");
  await waitFirst("u011");
  expect((await grid().count()) === 11, `11 emails contain u11, not ${await grid().count()}`);

  step = "edit a cell";
  await page.locator('nav a[data-table="public.user"]').click();
  await waitFirst("u001");
  const row3 = grid().filter({ hasText: "u003" });
  await row3.locator("td:nth-child(3)").dblclick();
  await row3.locator('input[data-column="name"]').fill("Edited in the browser");
  await row3.locator('[data-testid="save"]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="grid"] td')]
    .some((td) => td.textContent === "Edited in the browser"));
  await shot("edit");

  step = "a refused save shows the database's error";
  const row4 = grid().filter({ hasText: "u004" });
  await row4.locator("td:nth-child(4)").dblclick();
  await row4.locator('input[data-column="email"]').fill("u5@example.com");
  await row4.locator('[data-testid="save"]').click();
  const refusal = await page.locator('[data-testid="save-error"]').textContent({ timeout: 10000 });
  expect(refusal.includes("23505") && refusal.includes("user_email_unique"), `the error: ${refusal}`);

  step = "insert a row";
  await page.locator('nav a[data-table="public.user"]').click();
  await waitFirst("u001");
  await page.locator('[data-testid="insert"]').click();
  const form = page.locator('[data-testid="insert-form"]');
  await form.locator('[data-column="id"]').fill("browser-new");
  await form.locator('[data-column="name"]').fill("Made in the browser");
  await form.locator('[data-column="email"]').fill("new@example.com");
  await form.locator('select[data-column="email_verified"]').selectOption("true");
  await form.locator('[data-column="created_at"]').fill("2024-01-31 12:00:00");
  await form.locator('[data-column="updated_at"]').fill("2024-01-31 12:00:00");
  await form.locator('[data-testid="insert-save"]').click();
  await page.locator('[data-testid="insert-form"]').waitFor({ state: "detached" });

  step = "delete a row";
  await page.locator('[data-filter="id"]').fill("u120");
  await page.locator('[data-filter="id"]').press("Enter");
  await waitFirst("u120");
  await grid().first().locator('input[type="checkbox"]').check();
  await page.locator('[data-testid="delete"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="grid"] tbody tr').length === 50);

  step = "follow a foreign key both ways";
  await page.locator('nav a[data-table="public.session"]').click();
  await waitFirst("s1");
  await grid().first().locator('.rel a', { hasText: "→ user" }).click();
  await waitFirst("u002");
  expect((await grid().count()) === 1, "the one user the session points to");
  await shot("relationships");
  await grid().first().locator('.rel a', { hasText: "← session" }).click();
  await waitFirst("s1");
  expect((await grid().count()) === 1, "the one session pointing to the user");

  step = "the schema diagram";
  await page.locator('.tabs button[data-tab="diagram"]').click();
  await page.locator("#tab-diagram svg").waitFor({ timeout: 10000 });
  const tables = await page.locator("#tab-diagram svg [data-table]").count();
  const edges = await page.locator("#tab-diagram svg [data-fk]").count();
  expect(tables === 5 && edges === 2, `five tables and two foreign keys, not ${tables} and ${edges}`);
  await shot("diagram");
  await page.locator('#tab-diagram svg [data-table="public.session"]').click();
  await waitFirst("s1");

  step = "run a query";
  await page.locator('.tabs button[data-tab="console"]').click();
  await page.locator("#sql").fill("SELECT id, name FROM \"user\" WHERE id IN ('u001', 'u003') ORDER BY id");
  await page.locator("#run").click();
  await page.locator('[data-testid="console-grid"] tbody tr').nth(1).waitFor();
  const result = await page.locator('[data-testid="console-grid"] tbody').textContent();
  expect(result.includes("Edited in the browser"), `the query's rows: ${result}`);
  await page.locator("#sql").fill("SELECT nope FROM \"user\"");
  await page.locator("#run").click();
  const error = await page.locator('[data-testid="console-error"]').textContent({ timeout: 10000 });
  expect(error.includes("at character 8"), `the error and its position: ${error}`);
  expect((await page.locator("#history li").count()) === 2, "both queries in the history");
  await shot("console");

  step = "the migrations page";
  await page.locator('.tabs button[data-tab="migrations"]').click();
  await page.locator('[data-testid="migrations"] tbody tr').first().waitFor();
  const migrations = await page.locator('[data-testid="migrations"] tbody').textContent();
  expect(migrations.includes("0000_init") && migrations.includes("applied"), `migrations: ${migrations}`);
  await shot("migrations");

  expect(errors.length === 0, `errors in the page: ${errors.join("; ")}`);
  console.log("ok: every step passed");
} catch (e) {
  console.error(`step "${step}" failed: ${e.message}`);
  try { await shot(`failed-${step.replaceAll(" ", "-")}`); } catch {}
  await browser.close();
  process.exit(1);
}
await browser.close();
