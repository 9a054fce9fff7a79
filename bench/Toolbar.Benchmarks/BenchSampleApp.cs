using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Toolbar.Benchmarks;

/// <summary>
/// The sample app in-process (Development, its own SQLite file, warnings only in the log), with the toolbar on or
/// off and any further settings as <c>Key=Value</c>. The client counts as loopback, so the toolbar shows itself.
/// </summary>
internal sealed class BenchSampleApp(bool toolbar, IReadOnlyList<string>? settings = null) : WebApplicationFactory<global::Program>
{
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"toolbar-bench-{Guid.NewGuid():N}.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSolutionRelativeContentRoot("samples/SampleApp");
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Main", $"Data Source={_db}");
        builder.UseSetting("Toolbar:Enabled", toolbar ? "true" : "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var setting in settings ?? [])
        {
            var eq = setting.IndexOf('=', StringComparison.Ordinal);
            builder.UseSetting(setting[..eq], setting[(eq + 1)..]);
        }

        builder.ConfigureServices(services => services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter>(new LoopbackClient())));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        // The connection pool keeps the database open in WAL mode; its two side files would be left behind.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _db, _db + "-wal", _db + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>TestServer reports no client address; the toolbar only shows itself to loopback clients.</summary>
    private sealed class LoopbackClient : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextDelegate) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return nextDelegate(context);
            });
            next(app);
        };
    }
}
