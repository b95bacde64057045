/*
 * The workshop board redraws itself from board.json every few seconds, without reloading.
 * The page is complete without this script; it only keeps the numbers current. Everything is
 * written with textContent, so team names and answers can never inject markup.
 */
(function () {
  "use strict";

  const root = document.querySelector("[data-board-root]");
  if (!root || !root.hasAttribute("data-board-live")) return;
  const url = root.dataset.boardUrl;
  const messages = JSON.parse(document.getElementById("board-messages").textContent);
  const INTERVAL = 3000;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
  }

  function score(value) {
    return value === null || value === undefined ? "–" : String(value);
  }

  function meter(max, value) {
    const node = document.createElement("meter");
    node.min = 0;
    node.max = Math.max(max, 1);
    node.value = value;
    return node;
  }

  function drawTeams(data) {
    const body = root.querySelector("[data-board=teams]");
    body.replaceChildren();
    for (const team of data.teams) {
      const row = el("tr");
      const link = el("a", team.name);
      link.href = team.url;
      const nameCell = el("td");
      nameCell.append(link);
      row.append(nameCell);
      row.append(el("td", format(messages.progress, team)));
      const cell = el("td");
      cell.append(
        meter(100, team.completeness),
        " " + team.completeness + "% · " + messages.na.replace("%(count)s", team.na || 0),
      );
      const overall = el("td", score(team.overall) + (team.band ? " " + team.band : ""));
      if (team.verdict) {
        overall.append(el("br"), el("span", team.verdict, "small text-danger"));
      }
      row.append(cell, overall);
      body.append(row);
    }
    if (!data.teams.length) {
      const cell = el("td", messages.noTeams, "text-body-secondary");
      cell.colSpan = 4;
      const row = el("tr");
      row.append(cell);
      body.append(row);
    }
    root.querySelector("[data-board=team-count]").textContent = data.teams.length;
  }

  function drawThemes(data) {
    const body = root.querySelector("[data-board=themes]");
    body.replaceChildren();
    for (const theme of data.themes) {
      const row = el("tr");
      const spread = theme.min === null ? "–" : theme.min + " – " + theme.max;
      row.append(el("td", theme.title), el("td", score(theme.average)), el("td", spread));
      row.append(el("td", theme.teams));
      body.append(row);
    }
  }

  function drawGaps(data) {
    const list = root.querySelector("[data-board=gaps]");
    list.replaceChildren();
    for (const gap of data.gaps) {
      const item = el("li");
      item.append(el("strong", gap.text), " (" + gap.theme + "): ");
      let counts = gap.teams === 1 ? messages.oneTeam : format(messages.teams, { num: gap.teams });
      if (gap.red_flags) {
        counts +=
          ", " +
          (gap.red_flags === 1 ? messages.oneRedFlag : format(messages.redFlags, { num: gap.red_flags }));
      }
      item.append(counts + ".", el("span", gap.action, "d-block small"));
      list.append(item);
    }
    if (!data.gaps.length) list.append(el("li", messages.noGaps, "list-unstyled text-body-secondary"));
  }

  function drawDistributions(data) {
    const teams = data.teams.length;
    for (const d of data.distributions) {
      const box = root.querySelector('[data-distribution="' + CSS.escape(d.key) + '"]');
      if (!box) continue;
      for (const option of d.options) {
        const count = box.querySelector('[data-count="' + CSS.escape(option.value) + '"]');
        if (!count) continue;
        count.textContent = option.count;
        const bar = count.parentElement.querySelector("meter");
        bar.max = Math.max(teams, 1);
        bar.value = option.count;
      }
      box.querySelector("p").textContent = format(messages.counts, d);
    }
  }

  function draw(data) {
    drawTeams(data);
    drawThemes(data);
    drawGaps(data);
    drawDistributions(data);
    const status = document.querySelector("[data-board=status]");
    if (status) status.textContent = data.status === "open" ? messages.open : messages.closed;
    root.dataset.updated = String(Date.now());
  }

  async function poll() {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) draw(await response.json());
    } catch (error) {
      // A missed update is harmless: the next poll tries again.
    }
    window.setTimeout(poll, INTERVAL);
  }

  window.setTimeout(poll, INTERVAL);
})();
