#!/bin/sh
# Installs the Debian packages netdisplay's tests talk to (the "real
# peers"), when they are missing and this is root with apt. Otherwise it
# prints the command to run, and the tests that need a missing program skip
# with a message naming it.
PACKAGES="xvfb x11-apps x11-utils xauth xterm xdotool xtrace python3-xlib
xcb-proto x11proto-dev xfonts-base xfonts-75dpi tigervnc-standalone-server
tigervnc-viewer x11vnc vncsnapshot novnc websockify chromium imagemagick
tmux twm libgl1-mesa-dri gcc libc6-dev"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "make test: installing test peers:$missing"
	export DEBIAN_FRONTEND=noninteractive
	for try in 1 2 3; do
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/tmp/netdisplay-apt.log 2>&1 && exit 0
		echo "make test: apt-get failed (try $try); see /tmp/netdisplay-apt.log"
		sleep 5
	done
	echo "make test: could not install the test peers; tests that need them will be skipped"
	exit 0
fi

echo "make test: these test peers are missing:$missing"
echo "make test: install them with:"
echo "    sudo apt-get install -y --no-install-recommends$missing"
echo "make test: until then, the tests that need them are skipped, each saying what it needs."
