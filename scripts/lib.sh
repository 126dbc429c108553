#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh: what the scripts share: installing missing Debian packages,
# configuring and building siptxn.  Source it; do not run it.

SIPTXN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIPTXN_BUILD=${SIPTXN_BUILD:-$SIPTXN_ROOT/build}

siptxn_say() { printf 'siptxn: %s\n' "$*" >&2; }
siptxn_die() { printf 'siptxn: error: %s\n' "$*" >&2; exit 1; }

# Installs the Debian packages in "$@" that are not installed yet.
siptxn_install_packages() {
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null ||
        siptxn_die "missing packages ${missing[*]}, and apt-get is not available: install them with your package manager"
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null ||
            siptxn_die "missing packages ${missing[*]}: run as root, or install sudo, or run: apt-get install ${missing[*]}"
        sudo=(sudo)
    fi
    siptxn_say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q >/dev/null ||
        siptxn_die "apt-get update failed: check the network and /etc/apt/sources.list"
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
        siptxn_die "apt-get install ${missing[*]} failed: see the messages above"
}

# The packages needed to build siptxn and run it with tshark.
siptxn_install_build_dependencies() {
    siptxn_install_packages build-essential cmake pkg-config libglib2.0-dev wireshark-dev \
        libwireshark-dev tshark python3 util-linux time
}

# What scripts/test.sh --thorough adds: clang with its sanitizer and libFuzzer
# runtimes (libclang-rt-dev, which clang only recommends) for the libFuzzer
# binary, llvm-symbolizer for readable sanitizer reports, editcap for the fuzz pass.
siptxn_install_thorough_dependencies() {
    siptxn_install_packages clang libclang-rt-dev llvm wireshark-common
}

# Configures and builds into $SIPTXN_BUILD; extra arguments go to cmake.
siptxn_build() {
    cmake -S "$SIPTXN_ROOT" -B "$SIPTXN_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null ||
        siptxn_die "cmake could not configure the build: see the messages above"
    cmake --build "$SIPTXN_BUILD" -j "$(nproc)" >/dev/null ||
        siptxn_die "the build failed: run 'cmake --build $SIPTXN_BUILD' to see why"
}
