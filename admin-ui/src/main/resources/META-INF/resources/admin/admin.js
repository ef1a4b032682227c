// The admin console talks only to the documented REST endpoints.
async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok && !body.status) {
    throw new Error(body.error ? body.error.message : `${url}: HTTP ${response.status}`);
  }
  return body;
}

async function showHealth() {
  const badge = document.getElementById('health');
  try {
    const health = await getJson('/actuator/health');
    badge.dataset.state = health.status;
    badge.textContent = `health: ${health.status}`;
  } catch (e) {
    badge.dataset.state = 'error';
    badge.textContent = `health: unreachable`;
  }
}

async function showModels() {
  const body = document.querySelector('#models tbody');
  const cell = (text) => { const td = document.createElement('td'); td.textContent = text; return td; };
  try {
    const list = await getJson('/v1/models');
    body.replaceChildren();
    if (list.data.length === 0) {
      const row = document.createElement('tr');
      const td = cell('No models configured.');
      td.colSpan = 3;
      row.append(td);
      body.append(row);
    }
    for (const model of list.data) {
      const row = document.createElement('tr');
      row.className = 'model';
      row.append(cell(model.id), cell(model.owned_by), cell(new Date(model.created * 1000).toISOString()));
      body.append(row);
    }
  } catch (e) {
    body.replaceChildren();
    const row = document.createElement('tr');
    const td = cell(`Could not load models: ${e.message}`);
    td.colSpan = 3;
    row.append(td);
    body.append(row);
  }
}

showHealth();
showModels();
