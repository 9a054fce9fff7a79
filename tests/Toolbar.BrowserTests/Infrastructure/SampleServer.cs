using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Toolbar.BrowserTests.Infrastructure;

/// <summary>The sample app on a real Kestrel port on 127.0.0.1, in Development, with its own SQLite file.</summary>
public class SampleServer : WebApplicationFactory<Program>
{
    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"toolbar-browser-{Guid.NewGuid():N}.db");
    private string? _baseUrl;

    public SampleServer()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Extra configuration for the app.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>http://127.0.0.1:PORT (no trailing slash); starts the server on first use.</summary>
    public string BaseUrl
    {
        get
        {
            if (_baseUrl is null)
            {
                StartServer();
                var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
                _baseUrl = addresses.First().TrimEnd('/');
            }

            return _baseUrl;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Main", $"Data Source={_dbPath}");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
        {
            return;
        }

        foreach (var file in new[] { _dbPath, _dbPath + "-wal", _dbPath + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A file still held open is removed with the temp folder.
            }
        }
    }
}
