#!/bin/sh
# A multi-machine run, tested on one: an OpenSSH server on 127.0.0.1
# listening on two ports stands for two hosts (lp-a and lp-b in an ssh
# config of its own, throw-away host and user keys), and GNU parallel
# spreads the per-record stages over them with --sshlogin, --pipe and
# --keep-order, as README's "Scaling out" shows.  The output must be the
# serial run's, byte for byte.  The remote side finds the tools by
# absolute path and gets its LP_* settings through --env (ssh carries no
# environment).  Skipped (77) without sshd, ssh or GNU parallel.  Prints
# the wall time of each stage, serial and over ssh (LP_SSH_RECORDS
# records, default 3000; LP_SSH_BLOCK per job, default 200k).
. "$(dirname "$0")/cli/lib.sh"
SSHD=${LP_SSHD:-/usr/sbin/sshd}
for c in "$SSHD" ssh ssh-keygen parallel; do
	command -v "$c" > /dev/null || { echo "no $c: skipped"; exit 77; }
done
B=${LP_BINDIR%/tests}/tools
me=$(id -un)
# As root, sshd wants its privilege separation directory.
[ "$(id -u)" = 0 ] && [ ! -d /run/sshd ] && mkdir -p -m 755 /run/sshd

ssh-keygen -q -t ed25519 -N '' -C lp-host -f "$T/hostkey" &&
    ssh-keygen -q -t ed25519 -N '' -C lp-user -f "$T/userkey" &&
    cp "$T/userkey.pub" "$T/authorized_keys" || exit 99

# Two free ports: the server is tried on random ones until it starts.
now_ms() { date +%s%N | cut -c1-13; }
try=0
while :; do
	try=$((try + 1))
	p1=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
	p2=$((p1 + 1))
	cat > "$T/sshd_config" <<-EOF2
		ListenAddress 127.0.0.1
		Port $p1
		Port $p2
		HostKey $T/hostkey
		PidFile $T/sshd.pid
		AuthorizedKeysFile $T/authorized_keys
		UsePAM no
		StrictModes no
		PubkeyAuthentication yes
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PermitRootLogin prohibit-password
		AllowUsers $me
		LogLevel ERROR
	EOF2
	"$SSHD" -D -e -f "$T/sshd_config" 2> "$T/sshd.log" &
	SSHD_PID=$!
	trap 'kill $SSHD_PID 2> /dev/null' EXIT
	cat > "$T/ssh_config" <<-EOF2
		Host lp-a
		    Port $p1
		Host lp-b
		    Port $p2
		Host *
		    HostName 127.0.0.1
		    User $me
		    IdentityFile $T/userkey
		    IdentitiesOnly yes
		    UserKnownHostsFile $T/known_hosts
		    StrictHostKeyChecking yes
		    BatchMode yes
		    LogLevel ERROR
	EOF2
	echo "[127.0.0.1]:$p1,[127.0.0.1]:$p2 $(cat "$T/hostkey.pub")" > "$T/known_hosts"
	i=0
	while [ $i -lt 50 ] && kill -0 $SSHD_PID 2> /dev/null &&
	    ! ssh -F "$T/ssh_config" lp-b true 2> /dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	ssh -F "$T/ssh_config" lp-a true 2> "$T/ssh.err" &&
	    ssh -F "$T/ssh_config" lp-b true 2>> "$T/ssh.err" && break
	kill $SSHD_PID 2> /dev/null
	wait $SSHD_PID 2> /dev/null
	if [ $try -ge 5 ]; then
		echo "sshd did not start or let us in:"
		cat "$T/sshd.log" "$T/ssh.err"
		exit 1
	fi
done

standin_start
# standin_start set its own trap: both go at the end.
trap 'standin_stop; kill $SSHD_PID 2> /dev/null' EXIT
export LP_API_BASE=$STANDIN_URL/v1 LP_API_KEY=stand-in LP_PSEUDONYM_KEY=ssh-test
n=${LP_SSH_RECORDS:-3000}
"$LP_GEN" -n "$n" -s 5 > in.jsonl
for stage in 'lp-clean' 'lp-translate --no-cache' 'lp-rate --force --no-cache'; do
	set -- $stage
	t0=$(now_ms)
	"$B/$1" -q --plain $(echo "$stage" | cut -s -d' ' -f2-) < in.jsonl > serial.jsonl
	t1=$(now_ms)
	# The command README's "Scaling out" shows, on the two "hosts".
	parallel --pipe --keep-order --block "${LP_SSH_BLOCK:-200k}" \
	    --ssh "ssh -F $T/ssh_config" --sshlogin 2/lp-a,2/lp-b \
	    --env LP_API_BASE --env LP_API_KEY --env LP_PSEUDONYM_KEY \
	    --env SOURCE_DATE_EPOCH --joblog jobs.log \
	    "$B/$stage --plain -q" < in.jsonl > ssh.jsonl 2> ssh.err
	st=$?
	t2=$(now_ms)
	echo "$1: serial $((t1 - t0)) ms, over ssh on 2 hosts $((t2 - t1)) ms"
	expect "$1 over ssh: exit 0" test "$st" = 0
	[ "$st" = 0 ] || cat ssh.err
	expect "$1 over ssh: the serial output, byte for byte" cmp -s serial.jsonl ssh.jsonl
	expect "$1: every record" test "$(wc -l < ssh.jsonl)" = "$n"
	expect "$1: jobs ran on both hosts" test \
	    "$(awk 'NR > 1 { print $2 }' jobs.log | sort -u | tr '\n' ' ')" = 'lp-a lp-b '
	mv serial.jsonl in.jsonl
done
finish
