#!/bin/sh
# Writes certman(8) from the binary's own --help text (the program's and each subcommand's), so the man page
# and --help never disagree. Usage: make-manpage.sh CERTMAN_BINARY VERSION OUT.8.gz
# Called at install time by cmake/packaging.cmake; the .deb installs /usr/share/man/man8/certman.8.gz.
set -eu
bin=$1 version=$2 out=$3
help() {  # --help with the binary's path shown as plain "certman"
  "$bin" "$@" --help 2>&1 | sed -e "s#$bin#certman#g"
}
roff() {  # a literal block: backslashes escaped, leading dots and quotes neutralised, '-' as a real minus
  sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/" -e 's/-/\\-/g'
}
summary=$(help | head -n 1 | sed -e 's/^certman: //')
subcommands=$(help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
  printf '.TH CERTMAN 8 "" "certman %s" "System Administration"\n' "$version"
  printf '.SH NAME\ncertman \\- %s\n' "$(printf '%s' "$summary" | roff)"
  printf '.SH SYNOPSIS\n.B certman\n[\\fIOPTIONS\\fR] \\fISUBCOMMAND\\fR [\\fIARGS\\fR]\n'
  printf '.SH DESCRIPTION\nThe text below is the output of \\fBcertman \\-\\-help\\fR and of\n'
  printf '\\fBcertman \\fISUBCOMMAND\\fB \\-\\-help\\fR for each subcommand.\n'
  printf '.PP\n.nf\n'; help | tail -n +2 | roff; printf '.fi\n'
  for s in $subcommands; do
    printf '.SS "certman %s"\n.nf\n' "$s"; help "$s" | roff; printf '.fi\n'
  done
  printf '.SH FILES\n.TP\n.I /etc/certman/certman.toml\nconfiguration (check it with \\fBcertman check\\-config\\fR)\n'
  printf '.TP\n.I /var/lib/certman\naccount, certificates and renewal state (storage kind "dir")\n'
  printf '.TP\n.I /etc/default/certman\noptional environment for the systemd unit\n'
  printf '.SH SEE ALSO\n\\fBsystemctl\\fR(1), \\fBjournalctl\\fR(1), /usr/share/doc/certman/README.Debian\n'
} >"$tmp"
gzip -9nc "$tmp" >"$out"
