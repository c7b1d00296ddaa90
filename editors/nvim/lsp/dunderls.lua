-- dunderls for Neovim 0.11+ (`:help lsp-config`).
-- Put this folder on 'runtimepath' (or install it as a plugin), then:
--   vim.lsp.enable('dunderls')
-- Override any field with vim.lsp.config('dunderls', { ... }).
return {
  cmd = { 'dunderls', 'server' },
  filetypes = { 'python' },
  root_markers = { 'dunderls.toml', 'pyproject.toml', 'setup.cfg', 'setup.py', '.git' },
  -- The same keys as [tool.dunderls] in pyproject.toml; editor settings
  -- override the project file key by key. Example:
  --   settings = { dunderls = { ignore = { 'DUN106' }, severity = { DUN115 = 'warning' } } }
  settings = { dunderls = vim.empty_dict() },
}
