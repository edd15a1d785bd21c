using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WaIdentity.Tests.Infrastructure;

/// <summary>
/// One WaIdentity node as its own operating-system process (dotnet WaIdentity.IdP.dll) on a free loopback port,
/// for cluster tests: several nodes on one database, and a node that can be killed mid-work.
/// </summary>
public sealed class IdpNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private IdpNode(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<IdpNode> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var port = FreePort();
        var psi = IdpProcess.StartInfo([], settings);
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var node = new IdpNode(Process.Start(psi)!, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await node.WaitUntilReadyAsync();
            return node;
        }
        catch
        {
            await node.DisposeAsync(); // a node that never became ready must not outlive the test
            throw;
        }
    }

    /// <summary>Ends the process at once, as a crash or a power cut would: no graceful shutdown, no cleanup.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(300);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"node exited {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("node not ready in 120 s:\n" + Output);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
