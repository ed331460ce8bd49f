# PYTHON313: a Python 3.13 interpreter that runs, for the layer's bytecode (shared/Makefile) and for `make deploy`,
# which puts its folder first on `sam build`'s PATH. Included by shared/Makefile and by the repository's Makefile.
#
# The first of these that answers `--version` with 3.13.x: python3.13 on the PATH, then pyenv's, every 3.13.x
# under $(PYENV_ROOT)/versions (default ~/.pyenv), whether pyenv selects it or not. pyenv's shim on the PATH
# exists for every installed version but answers "pyenv: python3.13: command not found" (127) unless pyenv
# selects 3.13, so each candidate is asked, not merely found. PYTHON313=/path/to/python3.13 chooses one; empty
# when there is none (the targets that need it say so).
PYENV_ROOT ?= $(HOME)/.pyenv
python313_candidates = $(shell command -v python3.13) $(wildcard $(PYENV_ROOT)/versions/3.13*/bin/python3.13)
python313_runs = $(filter 3.13.%,$(lastword $(shell "$(1)" --version 2>/dev/null)))
ifeq ($(origin PYTHON313),undefined)
# Looked for once, when first used (never by a target that does not need it).
PYTHON313 = $(eval PYTHON313 := $(firstword $(foreach candidate,$(python313_candidates),$(if $(call python313_runs,$(candidate)),$(candidate)))))$(PYTHON313)
endif
