using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Toolbar.TestSupport;

namespace Toolbar.PackageTests;

/// <summary>A built app run with <c>dotnet App.dll</c> on a free loopback port, killed on dispose.</summary>
internal sealed class RunningApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RunningApp(Process process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public HttpClient Client { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<RunningApp> StartAsync(string dll, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["ASPNETCORE_ENVIRONMENT"] = "Development" };
        var start = DotNet.StartInfo(Path.GetDirectoryName(dll)!, variables, dll, "--urls", $"http://127.0.0.1:{port}");
        var app = new RunningApp(Process.Start(start)!, port);
        app._process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (app._process.HasExited)
            {
                await app.DisposeAsync();
                throw new InvalidOperationException($"The app exited with {app._process.ExitCode}:\n{app.Output}");
            }

            try
            {
                using var response = await app.Client.GetAsync("/_toolbar/api/requests");
                return app;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Runs the app until it exits by itself (a startup failure); its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dll, IReadOnlyDictionary<string, string> environment)
    {
        var variables = new Dictionary<string, string>(environment) { ["ASPNETCORE_ENVIRONMENT"] = "Development" };
        using var process = Process.Start(DotNet.StartInfo(Path.GetDirectoryName(dll)!, variables, dll, "--urls", $"http://127.0.0.1:{FreePort()}"))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "still running after 60 s: " + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
