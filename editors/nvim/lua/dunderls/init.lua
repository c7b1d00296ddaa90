-- For setups without vim.lsp.config (Neovim < 0.11) or with an older
-- nvim-lspconfig: require('dunderls').setup({ cmd = ..., settings = ... }).
local M = {}

local function defaults()
  local ok, config = pcall(dofile, vim.api.nvim_get_runtime_file('lsp/dunderls.lua', false)[1])
  if ok and type(config) == 'table' then
    return config
  end
  return {
    cmd = { 'dunderls', 'server' },
    filetypes = { 'python' },
    root_markers = { 'dunderls.toml', 'pyproject.toml', 'setup.cfg', 'setup.py', '.git' },
    settings = { dunderls = {} },
  }
end

function M.setup(opts)
  local config = vim.tbl_deep_extend('force', defaults(), opts or {})
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config('dunderls', config)
    vim.lsp.enable('dunderls')
    return
  end
  -- Older nvim-lspconfig: register as a custom server.
  local has_lspconfig, configs = pcall(require, 'lspconfig.configs')
  if has_lspconfig then
    if not configs.dunderls then
      configs.dunderls = {
        default_config = {
          cmd = config.cmd,
          filetypes = config.filetypes,
          root_dir = require('lspconfig.util').root_pattern(unpack(config.root_markers)),
          settings = config.settings,
        },
      }
    end
    require('lspconfig').dunderls.setup({})
    return
  end
  -- Plain vim.lsp.start on every Python buffer.
  vim.api.nvim_create_autocmd('FileType', {
    pattern = config.filetypes,
    callback = function(args)
      local root = vim.fs.root(args.buf, config.root_markers) or vim.fn.getcwd()
      vim.lsp.start({ name = 'dunderls', cmd = config.cmd, root_dir = root, settings = config.settings })
    end,
  })
end

return M
