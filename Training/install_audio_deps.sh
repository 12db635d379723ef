#!/usr/bin/env bash
# Installs the Debian packages the training data needs (idempotent): TTS voices for synthetic speech, ffmpeg
# to decode G.722/Ogg, and the packaged real speech, music and word list of the negative corpus
# (negatives.py says what each is and its licence). The first list is all Debian main.
#
# voices.py (more synthetic voices) also needs packages from Debian contrib/non-free: the SVOX Pico engine
# (libttspico-utils, non-free lingware), RHVoice, and the MBROLA engine and voices (non-commercial
# databases). This script adds the contrib and non-free components in a separate deb822 file,
# /etc/apt/sources.list.d/kws-contrib-non-free.sources (the distribution's own sources file is left as
# it is), and installs them. Set KWS_MAIN_ONLY=1 to install only the Debian main list.
set -euo pipefail
pkgs=(espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts ffmpeg wamerican
      asterisk-core-sounds-en-g722 asterisk-core-sounds-es-g722 asterisk-core-sounds-fr-g722
      asterisk-core-sounds-it-g722 asterisk-core-sounds-ru-g722 asterisk-moh-opsound-g722 hedgewars-data sox)
extra_pkgs=(libttspico-utils rhvoice rhvoice-english mbrola mbrola-us1 mbrola-us2 mbrola-us3 mbrola-en1)
sudo=$([ "$(id -u)" = 0 ] || echo sudo)

missing_of() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
    done
}

missing=($(missing_of "${pkgs[@]}"))
if [ "${KWS_MAIN_ONLY:-0}" != 1 ]; then
    extra_missing=($(missing_of "${extra_pkgs[@]}"))
    if [ ${#extra_missing[@]} -gt 0 ]; then
        src=/etc/apt/sources.list.d/kws-contrib-non-free.sources
        codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
        want="Types: deb
URIs: http://deb.debian.org/debian
Suites: $codename $codename-updates
Components: contrib non-free
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
        if [ ! -f "$src" ] || [ "$(cat "$src")" != "$want" ]; then
            echo "adding Debian contrib non-free: $src"
            printf '%s\n' "$want" | $sudo tee "$src" >/dev/null
        fi
        missing+=("${extra_missing[@]}")
    fi
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
