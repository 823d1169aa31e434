#!/usr/bin/env bash
# Sets up, then runs the whole test suite. Extra arguments go to pytest.
#
# Besides .venv/ (scripts/setup.sh), it installs what the browser, HTML and web-server tests
# (tests/test_browser.py) need, each only when missing, so a second run starts the tests at once:
#   Debian packages  chromium, nginx, fonts-noto-cjk, libjpeg-turbo-progs, and default-jre-headless without Java
#                    (apt-get, as root or through sudo; nginx is only run by the tests, on loopback)
#   npm packages     axe-core and vnu-jar, pinned in tests/tools/package-lock.json (npm ci)
# Without root or sudo it names what is missing and the browser tests skip, unless
# SITEGEN_REQUIRE_BROWSER=1 (set by .ci/run), which makes a missing tool fail them.
# Screenshots of the demo site go to test-artifacts/screenshots/ ($SITEGEN_ARTIFACTS/screenshots/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

say() { printf 'scripts/test.sh: %s\n' "$*" >&2; }

# --- Debian packages ---
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v jpegtran >/dev/null 2>&1 || missing+=(libjpeg-turbo-progs)  # (setup.sh's too: photos' lossless turns, check)
if command -v dpkg-query >/dev/null 2>&1 &&
   ! dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed'; then
  missing+=(fonts-noto-cjk)  # Chinese text in the screenshots
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    sudo=(none)
  fi
  if command -v apt-get >/dev/null 2>&1 && [ "${sudo[0]:-}" != none ]; then
    say "installing ${missing[*]} (Debian packages)"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing: ${missing[*]}. Install them as root: apt-get install ${missing[*]}"
    say "until then the browser tests skip (SITEGEN_REQUIRE_BROWSER=1 makes them fail)"
  fi
fi

# --- npm packages of tests/tools (axe-core, vnu-jar) ---
tools=tests/tools
stamp=$tools/node_modules/.sitegen-lock
if command -v npm >/dev/null 2>&1; then
  want="$(cksum < $tools/package-lock.json)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -f $tools/node_modules/axe-core/axe.min.js ] ||
     [ ! -f $tools/node_modules/vnu-jar/build/dist/vnu.jar ]; then
    say "installing the npm packages of $tools (axe-core, vnu-jar)"
    # --ignore-scripts: vnu-jar's install script would download a Java runtime; Debian's is used.
    npm ci --prefix $tools --ignore-scripts --no-audit --no-fund --loglevel=error
    printf '%s\n' "$want" > "$stamp"
  fi
else
  say "npm is missing: the accessibility and HTML checks skip"
fi

exec .venv/bin/python -m pytest "$@"
