using System.Diagnostics;
using System.Runtime.InteropServices;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Scaling;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>
/// SIGINT and SIGTERM cancel a command: it removes its temporary files, leaves its outputs as they were and exits
/// with 130. Temporary files of processes that died mid-write are removed the next time their output is written.
/// </summary>
[NonParallelizable]
public class InterruptTests
{
    [TestCase("INT")]
    [TestCase("TERM")]
    public void SignalWhileWriting_LeavesNoTemporaryFileAndTheOldOutput(string signal)
    {
        using var folder = new TempFolder();
        string output = folder.File("b5.onnx");
        File.WriteAllText(output, "the previous export");
        // env(1) restores the signal's default disposition before it execs dotnet (same process id): a test run started
        // in the background by a non-interactive shell inherits SIGINT ignored, as every background job there does, and
        // .NET leaves an inherited ignore in place. A user's terminal delivers it.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "--default-signal=" + signal, "dotnet", Path.Combine(AppContext.BaseDirectory, "effnet.dll"), "export", "--phi", "5", "--output", output })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();

        // The signal arrives while the export's temporary file is being written (B5's 116 MB take a while).
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && Directory.GetFiles(folder.Path, "b5.onnx.*.tmp").Length == 0 && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            Thread.Sleep(5);
        }

        // Sent at once, from this process: spawning kill(1) took long enough on a loaded CI machine for the write to end first.
        Assert.That(process.HasExited, Is.False, "the export was still running when its temporary file appeared");
        Assert.That(Kill(process.Id, signal == "INT" ? SignalInterrupt : SignalTerminate), Is.Zero);
        process.WaitForExit();

        Assert.That(process.ExitCode, Is.EqualTo(130), error.Result);
        Assert.That(Directory.GetFiles(folder.Path, "*.tmp"), Is.Empty, "the temporary file is removed");
        Assert.That(stdout.Result, Does.Not.Contain("Wrote"));
        Assert.That(File.ReadAllText(output), Is.EqualTo("the previous export"), "the output is as it was");
        Assert.That(error.Result, Does.StartWith("error: interrupted"));
    }

    private const int SignalInterrupt = 2, SignalTerminate = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int processId, int signal);

    /// <summary>A <c>kill -9</c> mid-write leaves a temporary file; the next write of the same output removes it (and spares a live process's).</summary>
    [Test]
    public void TemporaryFilesOfDeadProcesses_AreRemovedOnTheNextWrite()
    {
        using var folder = new TempFolder();
        string output = folder.File("m.onnx");
        int dead = DeadProcessId();
        string stale = $"{output}.{dead}.{Guid.NewGuid():N}.tmp";
        string live = $"{output}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(stale, []);
        File.WriteAllBytes(live, []);
        using ConvNetwork network = new EfficientNetBuilder().WithPhi(-4).WithResolution(32).Build();

        network.ExportOnnx(output);

        Assert.That(File.Exists(stale), Is.False, "a dead process's temporary file is removed");
        Assert.That(File.Exists(live), Is.True, "a live process's is its own");
    }

    /// <summary>A process id that is not running: the id of a process that has just ended.</summary>
    private static int DeadProcessId()
    {
        using Process process = Process.Start(new ProcessStartInfo("true"))!;
        process.WaitForExit();
        return process.Id;
    }
}
