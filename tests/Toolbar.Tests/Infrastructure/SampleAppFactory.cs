using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Toolbar.Tests.Infrastructure;

/// <summary>
/// The sample app on a TestServer, in Development, with its own SQLite file. TestServer reports no
/// client address, so a startup filter stands in for a loopback client unless a test says otherwise.
/// </summary>
public class SampleAppFactory : WebApplicationFactory<Program>
{
    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"toolbar-sample-{Guid.NewGuid():N}.db");

    public SampleAppFactory()
        : this("sqlite")
    {
    }

    /// <summary>The sample on <paramref name="database"/> (<c>sqlite</c>, <c>postgres</c> or <c>mysql</c>), in a database of its own.</summary>
    protected SampleAppFactory(string database)
    {
        Database = database;
        try
        {
            ConnectionString = database == "sqlite" ? $"Data Source={_dbPath}" : TestDatabases.NewDatabase(database);
        }
        catch
        {
            // The server is missing: the tests of this fixture fail with that message. The half-built factory must not
            // reach WebApplicationFactory's finalizer, whose Dispose(false) on the finalizer thread would end the test host.
            GC.SuppressFinalize(this);
            throw;
        }
    }

    /// <summary><c>sqlite</c>, <c>postgres</c> or <c>mysql</c>.</summary>
    public string Database { get; }

    /// <summary>The app's <c>ConnectionStrings:Main</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>Address the fake client connects from.</summary>
    public IPAddress RemoteAddress { get; set; } = IPAddress.Loopback;

    /// <summary>Environment the app runs in.</summary>
    public string Environment { get; set; } = "Development";

    /// <summary>Extra configuration (e.g. <c>Toolbar:Enabled</c>).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseSetting("Sample:Database", Database);
        builder.UseSetting("ConnectionStrings:Main", ConnectionString);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => RemoteAddressStartupFilter.AddFirst(services, () => RemoteAddress));
    }

    /// <summary>GETs the JSON of a stored record.</summary>
    public async Task<JsonElement> GetRecordAsync(HttpClient client, string id)
    {
        var json = await client.GetStringAsync($"/_toolbar/api/requests/{id}");
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing || ConnectionString is null)
        {
            // From a finalizer: leave the files and databases to their temporary folders, and never throw there.
            return;
        }

        if (Database != "sqlite")
        {
            TestDatabases.Drop(Database, ConnectionString);
            return;
        }

        foreach (var suffix in new[] { "", "-shm", "-wal" })
        {
            try
            {
                File.Delete(_dbPath + suffix);
            }
            catch (IOException)
            {
                // A file still open by a pooled connection is left to the temp folder's cleanup.
            }
        }
    }
}

/// <summary>Sets the connection's remote address the way a real server would, before any app middleware.</summary>
public sealed class RemoteAddressStartupFilter(Func<IPAddress?> address) : IStartupFilter
{
    /// <summary>Registers the filter ahead of every other one (the toolbar's included), as a server sets the address before any middleware.</summary>
    public static void AddFirst(IServiceCollection services, Func<IPAddress?> address) =>
        services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter>(new RemoteAddressStartupFilter(address)));

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((HttpContext context, RequestDelegate nextDelegate) =>
        {
            context.Connection.RemoteIpAddress = address();
            return nextDelegate(context);
        });
        next(app);
    };
}
