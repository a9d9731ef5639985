#!/usr/bin/env bash
# The fleet playbook (deploy/ansible) as CI checks it (TAP): ansible-playbook
# --syntax-check, and its drop-in template rendered for the example room
# gives the craie.conf lines doc/deploy.md promises.
set -uo pipefail
src="${CRAIE_SOURCE_ROOT:?run through meson test}"
dir="$src/deploy/ansible"
command -v ansible-playbook >/dev/null || {
    echo "Bail out! ansible-playbook is missing (package ansible-core)"
    exit 1
}
work="$(mktemp -d "${TMPDIR:-/tmp}/craie-ansible-test-XXXXXX")"
trap 'rm -rf "$work"' EXIT
export ANSIBLE_LOCAL_TEMP="$work/tmp" ANSIBLE_HOME="$work/home" ANSIBLE_NOCOLOR=1
n=0 failed=0
result() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n - $2"; else
        failed=$((failed + 1))
        echo "not ok $n - $2"
        sed 's/^/#   /' "$work/out" | head -40
    fi
}

(cd "$dir" && ansible-playbook -i inventory.example.ini --syntax-check site.yml) >"$work/out" 2>&1
result $? "ansible-playbook --syntax-check site.yml"

# The room's drop-in, rendered as the playbook does for the example host.
(cd "$dir" && ansible localhost -c local -i localhost, -m ansible.builtin.template \
    -a "src=templates/room.conf.j2 dest=$work/50-room.conf" \
    -e @host_vars/tni-jaures-salle12.yml \
    -e '{"item": {"what": "room", "settings": "{{ craie_room_settings }}"}}') >"$work/out" 2>&1
result $? "the room template renders"
cp "$work/50-room.conf" "$work/out" 2>/dev/null
grep -qx '\[ent\]' "$work/50-room.conf" && grep -qx 'room = Salle 12' "$work/50-room.conf" &&
    grep -qx '\[camera\]' "$work/50-room.conf" && grep -qx 'rotate180 = true' "$work/50-room.conf" &&
    grep -qx 'finger_draws = false' "$work/50-room.conf"
result $? "the room's drop-in: INI sections and keys, booleans as craie reads them"

echo "1..$n"
[ "$failed" -eq 0 ]
