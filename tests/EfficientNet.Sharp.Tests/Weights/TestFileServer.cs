using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace EfficientNet.Sharp.Tests.Weights;

/// <summary>
/// An HTTP server on 127.0.0.1 serving files the test gives it, with the failures a real network has:
/// slow transfers, and connections dropped in the middle of a file.
/// </summary>
internal sealed class TestFileServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, byte[]> files = new();
    private readonly CancellationTokenSource stopping = new();
    private int dropsLeft;
    private int stallsLeft;

    public TestFileServer()
    {
        int port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/weights/");
        listener.Prefixes.Add(BaseAddress.ToString());
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri BaseAddress { get; }

    /// <summary>Requests answered with a whole file.</summary>
    public int CompletedDownloads => completed;

    /// <summary>Every request received.</summary>
    public int Requests => requests;

    /// <summary>Pause after each 64 KiB sent, to make transfers overlap.</summary>
    public TimeSpan ChunkDelay { get; set; }

    private int completed;
    private int requests;

    public void Add(string name, byte[] content) => files[name] = content;

    /// <summary>The next <paramref name="count"/> requests send half the file, then drop the connection.</summary>
    public void DropNext(int count) => dropsLeft = count;

    /// <summary>The next <paramref name="count"/> requests send the headers and half the file, then send nothing more while the connection stays open.</summary>
    public void StallNext(int count) => stallsLeft = count;

    public void Dispose()
    {
        stopping.Cancel();
        listener.Close();
        stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref requests);
        string name = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.Split('/')[^1]);
        if (!files.TryGetValue(name, out byte[]? content))
        {
            context.Response.StatusCode = 404;
            context.Response.Close();
            return;
        }

        bool drop = Interlocked.Decrement(ref dropsLeft) >= 0;
        bool stall = !drop && Interlocked.Decrement(ref stallsLeft) >= 0;
        try
        {
            context.Response.ContentLength64 = content.Length;
            int end = drop || stall ? content.Length / 2 : content.Length;
            for (int offset = 0; offset < end; offset += 1 << 16)
            {
                await context.Response.OutputStream.WriteAsync(content.AsMemory(offset, Math.Min(1 << 16, end - offset)));
                await context.Response.OutputStream.FlushAsync();
                if (ChunkDelay > TimeSpan.Zero)
                {
                    await Task.Delay(ChunkDelay);
                }
            }

            if (stall)
            {
                await Task.Delay(Timeout.Infinite, stopping.Token);
            }

            if (drop)
            {
                context.Response.Abort();
                return;
            }

            context.Response.Close();
            Interlocked.Increment(ref completed);
        }
        catch (Exception exception) when (exception is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
