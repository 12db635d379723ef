#!/usr/bin/env bash
# Installs the Debian packages the training data needs (idempotent): TTS voices for synthetic speech, ffmpeg
# to decode G.722/Ogg, and the packaged real speech, music and word list of the negative corpus
# (negatives.py says what each is and its licence). All are in Debian main.
set -euo pipefail
pkgs=(espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts ffmpeg wamerican
      asterisk-core-sounds-en-g722 asterisk-moh-opsound-g722 hedgewars-data)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
