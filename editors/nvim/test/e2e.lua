-- Drives dunderls through Neovim's own LSP client. Exits 0 on success,
-- 1 with a message on the first failed check.
local file = arg[1]
local failures = 0

local function fail(msg)
  io.stderr:write('FAIL: ' .. msg .. '\n')
  failures = failures + 1
end

local function check(cond, msg)
  if not cond then fail(msg) end
  return cond
end

local function finish()
  if failures > 0 then
    vim.cmd('cquit 1')
  else
    io.stdout:write('nvim e2e: all checks passed\n')
    vim.cmd('qall!')
  end
end

-- The shipped config, with the binary under test and a severity override
-- that must arrive through workspace/configuration.
vim.lsp.config('dunderls', {
  cmd = { os.getenv('DUNDERLS_BIN'), 'server' },
  settings = { dunderls = { severity = { DUN401 = 'error' } } },
})
vim.lsp.set_log_level('debug')
vim.lsp.enable('dunderls')
vim.cmd.edit(file)
local buf = vim.api.nvim_get_current_buf()

local function dunderls_diagnostics()
  return vim.tbl_filter(function(d) return d.source == 'dunderls' end, vim.diagnostic.get(buf))
end

local function wait_for(pred, what)
  local ok = vim.wait(15000, pred, 50)
  if not ok then
    local seen = vim.tbl_map(function(d)
      return ('%s %s:%d:%d %s'):format(d.source, d.code, d.lnum, d.col, d.severity)
    end, vim.diagnostic.get(buf))
    fail('timed out waiting for ' .. what .. '; diagnostics: ' .. vim.inspect(seen)
      .. '; log: ' .. vim.lsp.get_log_path())
  end
  return ok
end

local function client()
  return vim.lsp.get_clients({ bufnr = buf, name = 'dunderls' })[1]
end

if not wait_for(function() return client() ~= nil end, 'the dunderls client to attach') then return finish() end

-- 1. Diagnostics: codes, lines, and the configured severity.
wait_for(function()
  return vim.iter(dunderls_diagnostics()):any(function(d)
    return d.code == 'DUN401' and d.severity == vim.diagnostic.severity.ERROR
  end)
end, 'DUN401 as an error (severity from settings)')
local diags = dunderls_diagnostics()
local eq = vim.iter(diags):find(function(d) return d.code == 'DUN401' end)
if not check(eq ~= nil, 'no DUN401 diagnostic; got ' .. vim.inspect(diags)) then return finish() end
check(eq.lnum == 5 and eq.col == 8, ('DUN401 at %d:%d, expected 5:8'):format(eq.lnum, eq.col))

-- 2. Hover over the finding explains it.
local params = { textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = 5, character = 10 } }
local res = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 10000)
local hover = ''
for _, r in pairs(res or {}) do
  if r.result and r.result.contents then
    local c = r.result.contents
    hover = hover .. (type(c) == 'table' and (c.value or vim.inspect(c)) or tostring(c))
  end
end
check(hover:find('unhashable', 1, true) ~= nil, 'hover does not explain DUN401: ' .. hover)
check(hover:find('DUN401', 1, true) ~= nil, 'hover does not name the rule: ' .. hover)

-- 3. A quick fix through a code action changes the buffer.
local lsp_diag = {
  range = { start = { line = eq.lnum, character = eq.col }, ['end'] = { line = eq.end_lnum, character = eq.end_col } },
  message = eq.message, code = eq.code, source = 'dunderls', severity = 1,
  data = eq.user_data and eq.user_data.lsp and eq.user_data.lsp.data or nil,
}
local ca_params = {
  textDocument = vim.lsp.util.make_text_document_params(buf),
  range = lsp_diag.range,
  context = { diagnostics = { eq.user_data and eq.user_data.lsp or lsp_diag }, only = { 'quickfix' } },
}
res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', ca_params, 10000)
local action
for _, r in pairs(res or {}) do
  for _, a in ipairs(r.result or {}) do
    if a.title:find('__hash__', 1, true) then action = a end
  end
end
if check(action ~= nil, 'no __hash__ quick fix offered: ' .. vim.inspect(res)) then
  local c = client()
  if not action.edit and action.data then
    local resolved = c:request_sync('codeAction/resolve', action, 10000, buf)
    action = resolved and resolved.result or action
  end
  check(action.edit ~= nil, 'the quick fix carries no edit')
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, c.offset_encoding)
    local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
    check(text:find('def __hash__(self):', 1, true) ~= nil, 'fix not applied: ' .. text)
    check(text:find('return hash((self.tenant, self.key))', 1, true) ~= nil, 'fix hashes the wrong fields: ' .. text)
    wait_for(function()
      return not vim.iter(dunderls_diagnostics()):any(function(d) return d.code == 'DUN401' end)
    end, 'DUN401 to disappear after the fix')
  end
end

-- 4. Edit the buffer: a new class with the same bug gets a finding on its line.
local last = vim.api.nvim_buf_line_count(buf)
vim.api.nvim_buf_set_lines(buf, last, last, false, {
  '',
  '',
  'class Späti:  # non-ASCII before the finding',
  '    def __eq__(self, other):',
  '        return NotImplemented',
})
local want_line = last + 3
wait_for(function()
  return vim.iter(dunderls_diagnostics()):any(function(d) return d.code == 'DUN401' and d.lnum == want_line end)
end, 'DUN401 on the edited line ' .. want_line)

-- 5. Undo it: the finding goes away again.
vim.api.nvim_buf_set_lines(buf, last, last + 5, false, {})
wait_for(function()
  return not vim.iter(dunderls_diagnostics()):any(function(d) return d.code == 'DUN401' end)
end, 'DUN401 to go away after removing the class')

-- 6. Across files: editing a base class in one buffer updates the findings
-- of a subclass in another (the server's workspace index).
local dir = vim.fs.dirname(file)
vim.cmd.edit(dir .. '/csv_export.py')
local sub = vim.api.nvim_get_current_buf()
local function codes_in(b)
  return vim.tbl_map(function(d) return d.code end,
    vim.tbl_filter(function(d) return d.source == 'dunderls' end, vim.diagnostic.get(b)))
end
wait_for(function() return vim.lsp.get_clients({ bufnr = sub, name = 'dunderls' })[1] ~= nil end,
  'the client to attach to csv_export.py')
vim.wait(1000)
check(not vim.tbl_contains(codes_in(sub), 'DUN603'),
  'DUN603 before the base changed: ' .. vim.inspect(codes_in(sub)))
vim.cmd.edit(dir .. '/plugins.py')
local base = vim.api.nvim_get_current_buf()
vim.api.nvim_buf_set_lines(base, 1, 2, false, { '    def __init_subclass__(cls):' })
wait_for(function() return vim.tbl_contains(codes_in(sub), 'DUN603') end,
  'DUN603 in csv_export.py after its base stopped accepting class keywords')

finish()
