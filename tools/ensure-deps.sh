#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, only those missing.
set -euo pipefail

packages=(php8.2-cli php8.2-dev php8.2-mysql php8.2-curl php8.2-mbstring php8.2-xml php8.2-intl
          libclang-dev mariadb-server mariadb-client phpunit php-twig gettext zlib1g-dev chromium curl)
missing=()
# Node.js and npm (front-end libraries, browser tests): Debian's packages unless some node is already installed.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
