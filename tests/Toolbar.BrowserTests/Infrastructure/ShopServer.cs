using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Contoso.Shop.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Toolbar.BrowserTests.Infrastructure;

/// <summary>
/// The second sample (samples/ShopApp: three projects, Microsoft.Contoso.Shop namespaces, Identity, MVC, Razor Pages,
/// many static files) on a real Kestrel port on 127.0.0.1, in Development, with its own SQLite file and a store of
/// <see cref="MaxRequests"/> records (fewer than the gallery page's files).
/// </summary>
public sealed class ShopServer : WebApplicationFactory<ShopProgram>
{
    public const int MaxRequests = 20;

    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"toolbar-shop-{Guid.NewGuid():N}.db");
    private string? _baseUrl;

    public ShopServer()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>http://127.0.0.1:PORT (no trailing slash); starts the server on first use.</summary>
    public string BaseUrl
    {
        get
        {
            if (_baseUrl is null)
            {
                StartServer();
                _baseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            }

            return _baseUrl;
        }
    }

    /// <summary>A fresh page of the shared browser pointed at the shop.</summary>
    public async Task<PageSession> NewPageAsync(BrowserFixture browser)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        return new PageSession(context, page, BaseUrl);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Shop", $"Data Source={_dbPath}");
        builder.UseSetting("Toolbar:MaxRequests", MaxRequests.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
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
