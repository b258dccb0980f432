# IT Manager — the two commands: `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
export ITMGR_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run build web web-deps test deps lint test-rust test-web e2e openapi bench clean

## Build the web app and the release binary, then serve on SQLite at http://127.0.0.1:8080
run: build
	$(TARGET_DIR)/release/itmgr serve

build: web
	$(CARGO) build --release -p itmgr

web-deps:
	@bash scripts/ensure-deps.sh node
	cd web && npm install --no-audit --no-fund

web: web-deps
	cd web && npm run build

## Everything CI checks: formatting, lints, Rust tests on SQLite and PostgreSQL, web checks, browser end-to-end
test: deps lint test-rust test-web e2e
	@echo "make test: all suites passed"

deps:
	@bash scripts/ensure-deps.sh all

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test --workspace

test-web: web-deps
	bash scripts/test-web.sh

e2e: web
	$(CARGO) build -p itmgr
	cd web && ITMGR_BIN=$(TARGET_DIR)/debug/itmgr npm run e2e

## Regenerate openapi.json, its snapshot and the TypeScript client types after an API change
openapi:
	ITMGR_UPDATE_OPENAPI=1 INSTA_UPDATE=always $(CARGO) test -p itmgr-api --test api the_openapi_document_matches || true
	ITMGR_UPDATE_OPENAPI=1 $(CARGO) test -p itmgr-api --test api the_openapi_document_matches
	cd web && npm run gen:api

bench: build
	bash bench/startup-and-idle.sh $(TARGET_DIR)/release/itmgr
	bash bench/vault.sh

clean:
	$(CARGO) clean
	rm -rf web/node_modules web/dist
