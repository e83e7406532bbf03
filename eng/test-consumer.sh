#!/usr/bin/env bash
# The packages as a consumer gets them: packs the library and the effnet tool into a temporary local feed and,
# outside the repository,
#   1. checks the library package's contents (dependencies, readme, XML docs, release notes, symbols);
#   2. builds and runs the README's quick start, and a console app that references it plus TorchSharp-cpu and compiles the README tour (every
#      line except the download), checking its results and that nothing it prints is an exception;
#   3. runs that app against Debian 12's C++ runtime, if apt can fetch it: it must fail with
#      LibTorchUnavailableException naming GLIBCXX_3.4.32; and an app without a backend package, with another libtorch
#      on the loader path, must be refused naming the file it loaded;
#   4. builds an app with a CUDA-head stand-in instead of the CPU backend: it must build (and, as a control,
#      the stand-in next to TorchSharp-cpu must hit TorchSharp's "two runtime packages" check);
#   5. installs the effnet tool from the feed (dotnet tool install picks the RID-specific package) and runs it;
#   6. publishes samples/ClassifyFolder (the deploy package and ONNX Runtime only) for linux-x64 (at most 60 MB, no
#      TorchSharp in it, effnet's answers on the test photos) and linux-arm64 (built, its size reported);
#   7. compiles and runs docs/deployment.md's ML.NET program: its scores must equal OnnxClassifier's.
# Prints "consumer: ok" at the end; exits non-zero at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
testdata=${EFFICIENTNET_SHARP_TESTDATA:-$repo/../shared/testdata}
coral=$testdata/coral-test-data
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { printf 'consumer: %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

[ -f "$coral/cat.bmp" ] || fail "the test data is missing ($coral): set EFFICIENTNET_SHARP_TESTDATA"
version=$(dotnet msbuild src/EfficientNet.Sharp -getProperty:Version)
torchsharp=$(sed -n 's/.*PackageVersion Include="TorchSharp-cpu" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
feed=$work/feed
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
# A re-pack of the same version must not be shadowed by an earlier one in the package cache.
rm -rf "$packages/efficientnet.sharp/$version" "$packages/efficientnet.sharp.core/$version" "$packages/efficientnet.sharp.cli/$version" "$packages/efficientnet.sharp.onnxruntime/$version" \
  "$packages"/efficientnet.sharp.cli.*/"$version" "$packages/libtorch-cuda-standin"

say "packing EfficientNet.Sharp $version, its core, the deploy package and the effnet tool"
dotnet pack src/EfficientNet.Sharp.Core -c Release -o "$feed" -nologo -v quiet >"$work/pack-core.log" 2>&1 || { cat "$work/pack-core.log"; fail "pack EfficientNet.Sharp.Core"; }
dotnet pack src/EfficientNet.Sharp -c Release -o "$feed" -nologo -v quiet >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; fail "pack"; }
dotnet pack src/EfficientNet.Sharp.Cli -c Release -o "$feed" -nologo -v quiet >"$work/pack-tool.log" 2>&1 || { cat "$work/pack-tool.log"; fail "pack tool"; }
dotnet pack src/EfficientNet.Sharp.OnnxRuntime -c Release -o "$feed" -nologo -v quiet >"$work/pack-ort.log" 2>&1 || { cat "$work/pack-ort.log"; fail "pack EfficientNet.Sharp.OnnxRuntime"; }

# 1. Package contents.
nuspec=$(unzip -p "$feed/EfficientNet.Sharp.$version.nupkg" EfficientNet.Sharp.nuspec)
grep -q '<dependency id="TorchSharp" ' <<<"$nuspec" || fail "the package does not depend on TorchSharp"
dependencies=$(grep -i '<dependency ' <<<"$nuspec")
! grep -qi 'TorchSharp-cpu\|TorchSharp-cuda\|libtorch' <<<"$dependencies" || fail "the package depends on a TorchSharp backend"
grep -q '<readme>package-readme.md</readme>' <<<"$nuspec" || fail "no package readme"
grep -q '<releaseNotes>' <<<"$nuspec" || fail "no release notes"
# (Listings are captured first: grep -q ends a pipe early, which pipefail would report as a failure.)
files=$(unzip -l "$feed/EfficientNet.Sharp.$version.nupkg")
grep -q 'lib/net10.0/EfficientNet.Sharp.xml' <<<"$files" || fail "no XML docs"
symbols=$(unzip -l "$feed/EfficientNet.Sharp.$version.snupkg")
grep -q 'lib/net10.0/EfficientNet.Sharp.pdb' <<<"$symbols" || fail "no symbols package"
# The deploy package: the managed ONNX Runtime and the torch-free core, never TorchSharp; the native runtime is the app's.
ort_dependencies=$(unzip -p "$feed/EfficientNet.Sharp.OnnxRuntime.$version.nupkg" EfficientNet.Sharp.OnnxRuntime.nuspec | grep -i '<dependency ')
grep -q 'id="Microsoft.ML.OnnxRuntime.Managed"' <<<"$ort_dependencies" || fail "EfficientNet.Sharp.OnnxRuntime does not depend on the managed ONNX Runtime"
grep -q 'id="EfficientNet.Sharp.Core"' <<<"$ort_dependencies" || fail "EfficientNet.Sharp.OnnxRuntime does not depend on EfficientNet.Sharp.Core"
! grep -q 'id="Microsoft.ML.OnnxRuntime"' <<<"$ort_dependencies" || fail "EfficientNet.Sharp.OnnxRuntime depends on a native ONNX Runtime"
! grep -qi 'TorchSharp\|id="EfficientNet.Sharp"' <<<"$ort_dependencies" || fail "EfficientNet.Sharp.OnnxRuntime depends on TorchSharp"
core_dependencies=$(unzip -p "$feed/EfficientNet.Sharp.Core.$version.nupkg" EfficientNet.Sharp.Core.nuspec | grep -i '<dependency ')
! grep -qi 'TorchSharp' <<<"$core_dependencies" || fail "EfficientNet.Sharp.Core depends on TorchSharp"
for rid in linux-x64 win-x64 osx-arm64; do
  size=$(stat -c %s "$feed/EfficientNet.Sharp.Cli.$rid.$version.nupkg")
  [ "$size" -lt 250000000 ] || fail "the $rid tool package is $size bytes, over nuget.org's 250 MB"
  say "tool package $rid: $((size / 1000000)) MB"
done

# Repository URL and SourceLink: a clone whose remote is an https (GitHub-form) address packs them; the
# address below exists only in this temporary clone, to see that what the remote says reaches the package.
git clone --quiet "$repo" "$work/clone"
git -C "$work/clone" remote set-url origin https://github.com/consumer-test/EfficientNet.Sharp.git
(cd "$work/clone" && dotnet pack src/EfficientNet.Sharp -c Release -o "$work/clone-feed" -nologo -v quiet >pack.log 2>&1) ||
  { cat "$work/clone/pack.log"; fail "pack from a clone with a remote"; }
clone_nuspec=$(unzip -p "$work/clone-feed/EfficientNet.Sharp.$version.nupkg" EfficientNet.Sharp.nuspec)
grep -q '<repository type="git" url="https://github.com/consumer-test/EfficientNet.Sharp.git"' <<<"$clone_nuspec" || fail "no repository URL from the remote"
unzip -p "$work/clone-feed/EfficientNet.Sharp.$version.snupkg" lib/net10.0/EfficientNet.Sharp.pdb >"$work/clone.pdb"
grep -aq '"/_/\*":"https://raw.githubusercontent.com/consumer-test/EfficientNet.Sharp/' "$work/clone.pdb" || fail "no SourceLink (with deterministic /_/ paths) in the PDB"
say "repository URL and SourceLink come from the remote"

cat >"$work/nuget.config" <<EOF
<configuration><packageSources><add key="consumer-test-feed" value="$feed" /></packageSources></configuration>
EOF

app() { # name, extra package references
  mkdir -p "$work/$1"
  cat >"$work/$1/$1.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="EfficientNet.Sharp" Version="$version" />
$2
  </ItemGroup>
</Project>
EOF
}

# 2a. The README's quick start, compiled and run as written (the test data's photo for the user's; the download
# left out, as no network is reachable here: the classifier then runs on random weights, which shows it runs).
app quickstart "    <PackageReference Include=\"TorchSharp-cpu\" Version=\"$torchsharp\" />"
awk '/^## Quick start/ { quick = 1 } quick && /^```csharp/ { code = 1; next } code && /^```/ { exit } code' README.md |
  grep -v 'LoadPretrained(' | sed -e "s#\"cat.jpg\"#\"$coral/cat.bmp\"#" >"$work/quickstart/Program.cs"
[ "$(wc -l <"$work/quickstart/Program.cs")" -gt 10 ] || fail "the README quick start was not found"
say "building and running the README quick start"
(cd "$work/quickstart" && dotnet build -c Release -nologo -v quiet >build.log 2>&1) || { cat "$work/quickstart/build.log"; fail "the quick start does not compile against the package"; }
(cd "$work/quickstart" && dotnet bin/Release/net10.0/quickstart.dll >out.txt 2>err.txt) || { cat "$work/quickstart/out.txt" "$work/quickstart/err.txt"; fail "the quick start failed"; }
grep -q '^Chosen: φ = \|^Nothing fits' "$work/quickstart/out.txt" || { cat "$work/quickstart/out.txt"; fail "the quick start printed no fit report"; }
[ "$(grep -cE '^[0-9]+[.,][0-9] ?%  ' "$work/quickstart/out.txt")" -eq 3 ] || { cat "$work/quickstart/out.txt"; fail "the quick start printed no three predictions"; }
[ ! -s "$work/quickstart/err.txt" ] || { cat "$work/quickstart/err.txt"; fail "the quick start wrote to stderr"; }

# 2. The README tour against TorchSharp-cpu, with the test data's files in place of the user's.
app tour "    <PackageReference Include=\"TorchSharp-cpu\" Version=\"$torchsharp\" />"
awk '/^## A short tour/ { tour = 1 } tour && /^```csharp/ { code = 1; next } code && /^```/ { exit } code' README.md |
  grep -v 'LoadPretrained(' |
  sed -e "s#\"cat.jpg\"#\"$coral/cat.bmp\"#" -e "s#\"mobilenet_v1_0.25_128_quant.tflite\"#\"$coral/mobilenet_v1_0.25_128_quant.tflite\"#" >"$work/tour/Program.cs"
[ "$(wc -l <"$work/tour/Program.cs")" -gt 30 ] || fail "the README tour was not found"
cat >>"$work/tour/Program.cs" <<'EOF'
Console.WriteLine($"tour: parameters={parameters} gmacs={gigaMacs:0.000} lite={lite.Spec.Name} classes={top5.Count} onnx={onnx.Output} fits={fit.Fits}");
EOF
say "building and running the README tour"
(cd "$work/tour" && dotnet build -c Release -nologo -v quiet >build.log 2>&1) || { cat "$work/tour/build.log"; fail "the tour does not compile against the package"; }
(cd "$work/tour" && dotnet bin/Release/net10.0/tour.dll >out.txt 2>err.txt) || { cat "$work/tour/out.txt" "$work/tour/err.txt"; fail "the tour failed"; }
grep -q 'tour: parameters=12233232 gmacs=1.827 lite=mobilenet_v1_0.25_128 classes=5 onnx=logits \[batch, 1000\] fits=' "$work/tour/out.txt" ||
  { cat "$work/tour/out.txt"; fail "the tour's results differ from the README's claims"; }
! grep -qi 'exception\|   at ' "$work/tour/out.txt" "$work/tour/err.txt" || { cat "$work/tour/out.txt" "$work/tour/err.txt"; fail "the tour printed exception text"; }
[ ! -s "$work/tour/err.txt" ] || { cat "$work/tour/err.txt"; fail "the tour wrote to stderr"; }
say "$(grep '^tour: ' "$work/tour/out.txt")"

# 3. The library's own explanation when libtorch cannot load (Debian 12's libstdc++ lacks GLIBCXX_3.4.32).
if (cd "$work" && apt-get download -qq libstdc++6/bookworm >/dev/null 2>&1) && dpkg-deb -x "$work"/libstdc++6_12*.deb "$work/bookworm"; then
  say "running the tour against Debian 12's C++ runtime"
  # The process ends with .NET's unhandled-exception abort; the shell's "Aborted" notice is expected.
  if (cd "$work/tour" && LD_LIBRARY_PATH="$work/bookworm/usr/lib/x86_64-linux-gnu" dotnet bin/Release/net10.0/tour.dll >old-out.txt 2>old-err.txt) 2>/dev/null; then
    fail "the tour ran on a C++ runtime libtorch cannot use"
  fi
  grep -q 'EfficientNet.Sharp.LibTorchUnavailableException: libtorch cannot be loaded: .*GLIBCXX_3.4.32' "$work/tour/old-err.txt" ||
    { cat "$work/tour/old-err.txt"; fail "no LibTorchUnavailableException naming GLIBCXX_3.4.32"; }
  ! grep -q 'Trace from LoadNativeBackend' "$work/tour/old-out.txt" "$work/tour/old-err.txt" || fail "TorchSharp's own trace was printed"
  say "$(grep -o 'EfficientNet.Sharp.LibTorchUnavailableException: .*' "$work/tour/old-err.txt" | head -n 1 | cut -c1-160)"
  [ ! -d "$work/tour/bin/Release/net10.0/cpu" ] || fail "TorchSharp copied its fallback libtorch next to the app"
else
  say "skipped the old C++ runtime check: apt could not fetch Debian 12's libstdc++6"
fi

# 3b. An application without a backend package, where another libtorch is on the loader path (as Debian's
# python3-torch puts libtorch 2.6 in /usr/lib): the library must refuse it, naming the file, not crash in it.
# The stand-in is this machine's own libtorch under versioned names in a folder of its own.
app nobackend ""
cat >"$work/nobackend/Program.cs" <<'EOF2'
try
{
    EfficientNet.Sharp.LibTorch.EnsureAvailable();
    Console.WriteLine("nobackend: libtorch accepted");
}
catch (EfficientNet.Sharp.LibTorchUnavailableException exception)
{
    Console.WriteLine($"nobackend: refused: {exception.Message}");
}
EOF2
(cd "$work/nobackend" && dotnet build -c Release -nologo -v quiet >build.log 2>&1) || { cat "$work/nobackend/build.log"; fail "the app without a backend does not build"; }
native=$(readlink -f "$(find "$packages/libtorch-cpu-linux-x64" -path '*/runtimes/linux-x64/native' -type d | head -n 1)")
[ -n "$native" ] || fail "libtorch-cpu-linux-x64 is not in the package cache"
mkdir -p "$work/foreign-libtorch"
cp "$native/libc10.so" "$work/foreign-libtorch/libc10.so.2.6"
ln -s libc10.so.2.6 "$work/foreign-libtorch/libc10.so"
for library in "$native"/libtorch.so "$native"/libtorch_cpu.so "$native"/libgomp-*.so.1 "$native"/libtorch_global_deps.so; do
  ln -s "$library" "$work/foreign-libtorch/$(basename "$library")"
done
(cd "$work/nobackend" && LD_LIBRARY_PATH="$work/foreign-libtorch" dotnet bin/Release/net10.0/nobackend.dll >out.txt 2>err.txt) || { cat "$work/nobackend/out.txt" "$work/nobackend/err.txt"; fail "the app without a backend crashed"; }
grep -q "nobackend: refused: libtorch cannot be used: TorchSharp's native library loaded '$work/foreign-libtorch/\|nobackend: refused: libtorch cannot be used: TorchSharp's native library loaded '$native" "$work/nobackend/out.txt" ||
  { cat "$work/nobackend/out.txt" "$work/nobackend/err.txt"; fail "a foreign libtorch was not refused by name"; }
grep -q "libtorch 2.10.0" "$work/nobackend/out.txt" || { cat "$work/nobackend/out.txt"; fail "the refusal does not name the expected libtorch version"; }
say "$(cut -c1-200 "$work/nobackend/out.txt")"

# 4. A CUDA application: the stand-in sets the property a CUDA libtorch package sets and carries the same check.
mkdir -p "$work/standin"
cat >"$work/standin/libtorch-cuda-standin.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
    <PackageId>libtorch-cuda-standin</PackageId>
    <Version>1.0.0</Version>
    <Description>Test stand-in for a CUDA libtorch package: its MSBuild property and runtime check, no natives.</Description>
    <Authors>EfficientNet.Sharp tests</Authors>
    <IncludeBuildOutput>false</IncludeBuildOutput>
    <NoWarn>NU5128</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <None Include="libtorch-cuda-standin.props;libtorch-cuda-standin.targets" Pack="true" PackagePath="buildTransitive/netstandard2.0/" />
  </ItemGroup>
</Project>
EOF
cat >"$work/standin/libtorch-cuda-standin.props" <<'EOF'
<Project><PropertyGroup><TorchSharpCudaPackage>true</TorchSharpCudaPackage></PropertyGroup></Project>
EOF
cat >"$work/standin/libtorch-cuda-standin.targets" <<'EOF'
<Project>
  <Target Name="CheckOneTorchSharpRuntime" AfterTargets="ResolveReferences" BeforeTargets="PrepareForBuild">
    <Error Text="Two TorchSharp runtime packages have been referenced (both libtorch-cpu and libtorch-cuda)" Condition="'$(TorchSharpCudaPackage)' == 'true' AND '$(TorchSharpCpuPackage)' == 'true'" />
  </Target>
</Project>
EOF
(cd "$work/standin" && dotnet pack -c Release -o "$feed" -nologo -v quiet >pack.log 2>&1) || { cat "$work/standin/pack.log"; fail "pack the CUDA stand-in"; }
cuda_refs="    <PackageReference Include=\"TorchSharp\" Version=\"$torchsharp\" />
    <PackageReference Include=\"libtorch-cuda-standin\" Version=\"1.0.0\" />"
app cudaapp "$cuda_refs"
cp "$work/tour/Program.cs" "$work/cudaapp/Program.cs"
say "building an app with the CUDA-head stand-in"
(cd "$work/cudaapp" && dotnet build -c Release -nologo -v quiet >build.log 2>&1) || { cat "$work/cudaapp/build.log"; fail "a CUDA application cannot reference the package"; }
app control "$cuda_refs
    <PackageReference Include=\"TorchSharp-cpu\" Version=\"$torchsharp\" />"
cp "$work/tour/Program.cs" "$work/control/Program.cs"
if (cd "$work/control" && dotnet build -c Release -nologo -v quiet >build.log 2>&1); then
  fail "control: the stand-in next to TorchSharp-cpu built, so the stand-in does not test anything"
fi
grep -q 'Two TorchSharp runtime packages' "$work/control/build.log" || { cat "$work/control/build.log"; fail "control: unexpected build error"; }

# 5. The tool, as dotnet tool install gets it.
say "installing the effnet tool from the feed"
dotnet tool install --tool-path "$work/tools" EfficientNet.Sharp.Cli --version "$version" --add-source "$feed" >"$work/tool.log" 2>&1 ||
  { cat "$work/tool.log"; fail "dotnet tool install"; }
"$work/tools/effnet" classify "$coral/cat.bmp" --tflite "$coral/mobilenet_v1_0.25_128_quant.tflite" --top 1 >"$work/tool-out.txt" 2>"$work/tool-err.txt" ||
  { cat "$work/tool-out.txt" "$work/tool-err.txt"; fail "the installed tool failed"; }
grep -q 'tiger cat' "$work/tool-out.txt" && [ ! -s "$work/tool-err.txt" ] || { cat "$work/tool-out.txt" "$work/tool-err.txt"; fail "the installed tool's answer"; }
[ -f "$(find "$work/tools/.store" -name install-prerequisites.sh | head -n 1)" ] || fail "the tool package lacks eng/install-prerequisites.sh"

# 6. The deploy sample, as a user publishes it: the deploy package and ONNX Runtime's natives only. Its answers must be
# effnet's (classify --tflite) on the test photos, its linux-x64 publish at most 60 MB with no TorchSharp in it.
mkdir -p "$work/deploy-photos" "$work/sample"
cp "$coral/cat.bmp" "$coral/grace_hopper.bmp" "$testdata/efficientnet-pytorch/img.jpg" "$work/deploy-photos/"
"$work/tools/effnet" export --tflite "$coral/mobilenet_v1_0.5_160_quant.tflite" --output "$work/coral.onnx" >"$work/export.log" 2>&1 ||
  { cat "$work/export.log"; fail "effnet export of the Coral model"; }
cp samples/ClassifyFolder/ClassifyFolder.csproj samples/ClassifyFolder/Program.cs "$work/sample/"
sed -i "s#Include=\"EfficientNet.Sharp.OnnxRuntime\" Version=\"[^\"]*\"#Include=\"EfficientNet.Sharp.OnnxRuntime\" Version=\"$version\"#" "$work/sample/ClassifyFolder.csproj"
cp "$work/nuget.config" "$work/sample/"
say "publishing the deploy sample for linux-x64 and linux-arm64"
(cd "$work/sample" && dotnet publish -c Release -r linux-x64 --self-contained false -o "$work/sample-x64" -nologo -v quiet >publish.log 2>&1) ||
  { cat "$work/sample/publish.log"; fail "the deploy sample does not publish for linux-x64"; }
(cd "$work/sample" && dotnet publish -c Release -r linux-arm64 --self-contained false -o "$work/sample-arm64" -nologo -v quiet >publish-arm.log 2>&1) ||
  { cat "$work/sample/publish-arm.log"; fail "the deploy sample does not publish for linux-arm64"; }
! grep -qi 'torchsharp\|libtorch' "$work/sample-x64/ClassifyFolder.deps.json" || fail "the deploy sample's deps.json names TorchSharp"
! ls "$work/sample-x64" | grep -qi 'torch' || fail "the deploy sample's folder holds a TorchSharp or libtorch file"
x64=$(du -sb "$work/sample-x64" | cut -f1)
arm64=$(du -sb "$work/sample-arm64" | cut -f1)
[ "$x64" -le 60000000 ] || fail "the deploy sample publishes in $x64 bytes for linux-x64, over 60 MB"
say "deploy sample: linux-x64 $((x64 / 1000000)) MB, linux-arm64 $((arm64 / 1000000)) MB (framework-dependent)"
"$work/sample-x64/ClassifyFolder" "$work/coral.onnx" "$work/deploy-photos" >"$work/sample-out.txt" 2>"$work/sample-err.txt" ||
  { cat "$work/sample-out.txt" "$work/sample-err.txt"; fail "the deploy sample failed"; }
for photo in cat.bmp grace_hopper.bmp img.jpg; do
  expected=$("$work/tools/effnet" classify "$work/deploy-photos/$photo" --tflite "$coral/mobilenet_v1_0.5_160_quant.tflite" --top 1 | awk '{print $1}')
  actual=$(awk -F'\t' -v f="$photo" '$1 == f {print $2}' "$work/sample-out.txt")
  [ -n "$expected" ] && [ "$expected" = "$actual" ] || { cat "$work/sample-out.txt"; fail "the deploy sample says class $actual for $photo, effnet classify --tflite $expected"; }
done
say "deploy sample agrees with effnet classify --tflite on $(wc -l <"$work/sample-out.txt") photos"

# 7. The ML.NET program of docs/deployment.md, verbatim: it compiles with the packages the page names, and its scores
# equal OnnxClassifier's within 1e-5.
mlnet_version=$(sed -n 's/.*`Microsoft.ML` \([0-9.]*\),.*/\1/p' docs/deployment.md | head -n 1)
onnxruntime_version=$(sed -n 's/.*PackageVersion Include="Microsoft.ML.OnnxRuntime" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
[ -n "$mlnet_version" ] || fail "docs/deployment.md names no Microsoft.ML version"
app mlnet "    <PackageReference Include=\"Microsoft.ML\" Version=\"$mlnet_version\" />
    <PackageReference Include=\"Microsoft.ML.OnnxTransformer\" Version=\"$mlnet_version\" />
    <PackageReference Include=\"Microsoft.ML.OnnxRuntime\" Version=\"$onnxruntime_version\" />
    <PackageReference Include=\"EfficientNet.Sharp.OnnxRuntime\" Version=\"$version\" />"
awk '/^## Using the file from ML.NET/ { section = 1 } section && /^```csharp/ { code = 1; next } code && /^```/ { exit } code' docs/deployment.md >"$work/mlnet/Program.cs"
[ "$(wc -l <"$work/mlnet/Program.cs")" -gt 40 ] || fail "the ML.NET program was not found in docs/deployment.md"
# The consumer apps reference EfficientNet.Sharp; this one must not (the deploy package only).
sed -i '/Include="EfficientNet.Sharp" /d' "$work/mlnet/mlnet.csproj"
(cd "$work/mlnet" && dotnet build -c Release -nologo -v quiet >build.log 2>&1) || { cat "$work/mlnet/build.log"; fail "the ML.NET program of docs/deployment.md does not compile"; }
(cd "$work/mlnet" && dotnet bin/Release/net10.0/mlnet.dll "$work/coral.onnx" "$coral/cat.bmp" >out.txt 2>err.txt) || { cat "$work/mlnet/out.txt" "$work/mlnet/err.txt"; fail "the ML.NET program failed"; }
difference=$(sed -n 's/.*largest difference from OnnxClassifier: \(.*\)$/\1/p' "$work/mlnet/out.txt")
[ -n "$difference" ] && awk -v d="$difference" 'BEGIN { exit !(d <= 1e-5) }' || { cat "$work/mlnet/out.txt"; fail "ML.NET's scores differ from OnnxClassifier's by $difference"; }
say "$(cat "$work/mlnet/out.txt")"

say "ok"
