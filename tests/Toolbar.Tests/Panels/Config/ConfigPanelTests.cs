using System.Reflection;
using System.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Toolbar.Panels.Config;
using Toolbar.Tests.Infrastructure;
using static Toolbar.Tests.Panels.Context.ContextPanelTestHelpers;

namespace Toolbar.Tests.Panels.Config;

public class ConfigPanelTests
{
    private static readonly SecretMasker s_masker = new(Options.Create(new ToolbarOptions()));

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Staging";

        public string ApplicationName { get; set; } = "ConfigTests";

        public string ContentRootPath { get; set; } = "/app";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    [Fact]
    public void Later_provider_wins_and_the_overridden_one_is_listed()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Shop:Name", "first"), new("Shop:Currency", "EUR")])
            .AddInMemoryCollection([new("Shop:Name", "second")])
            .Build();
        var data = ConfigSnapshot.Build(config, new TestEnvironment(), s_masker);
        var name = data.Entries.Single(e => e.Key == "Shop:Name");
        Assert.Equal("second", name.Value);
        Assert.Equal(1, name.ProviderIndex);
        Assert.Equal([0], name.Overrides);
        Assert.Equal(0, data.Entries.Single(e => e.Key == "Shop:Currency").ProviderIndex);
        Assert.Equal([2, 1], data.Providers.Select(p => p.KeyCount));
        Assert.Equal([1, 1], data.Providers.Select(p => p.WinningKeyCount));
    }

    [Fact]
    public void Environment_variables_provider_is_named_with_its_prefix()
    {
        Environment.SetEnvironmentVariable("TBCFGTEST_Feature__Enabled", "yes");
        try
        {
            var config = new ConfigurationBuilder().AddEnvironmentVariables("TBCFGTEST_").Build();
            var data = ConfigSnapshot.Build(config, new TestEnvironment(), s_masker);
            Assert.Equal("Environment variables (prefix TBCFGTEST_)", Assert.Single(data.Providers).Name);
            Assert.Equal("yes", data.Values["Feature:Enabled"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TBCFGTEST_Feature__Enabled", null);
        }
    }

    [Fact]
    public void Secret_keys_and_credential_values_are_masked()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection([
                new("ConnectionStrings:Secondary", "Data Source=x;Password=hunter2"),
                new("Billing:ApiKey", "k-123"),
                new("Legacy:Dsn", "Server=db;User Id=sa;Pwd=hunter3"),
                new("Shop:Name", "Corner shop"),
            ])
            .Build();
        var data = ConfigSnapshot.Build(config, new TestEnvironment(), s_masker);
        Assert.Equal(SecretMasker.Mask, data.Values["ConnectionStrings:Secondary"]);
        Assert.Equal(SecretMasker.Mask, data.Values["Billing:ApiKey"]);
        // The key says nothing: only the credential inside the value is masked, the entry says so.
        Assert.Equal("Server=db;User Id=sa;Pwd=********", data.Values["Legacy:Dsn"]);
        Assert.True(data.Entries.Single(e => e.Key == "Legacy:Dsn").Masked);
        Assert.Equal("Corner shop", data.Values["Shop:Name"]);
    }

    [Fact]
    public void Snapshot_is_shared_until_the_configuration_reloads()
    {
        var source = new Dictionary<string, string?> { ["Shop:Name"] = "before" };
        var config = new ConfigurationBuilder().AddInMemoryCollection(source).Build();
        var panel = new ConfigPanel(config, new TestEnvironment(), s_masker, new ServiceCollection().BuildServiceProvider());
        // An assembly that loads in between (other tests run in this process) rightly makes a new snapshot: compare
        // two reads with no load between them.
        var loads = 0;
        void OnLoad(object? sender, AssemblyLoadEventArgs e) => Interlocked.Increment(ref loads);
        AppDomain.CurrentDomain.AssemblyLoad += OnLoad;
        ConfigData first, again;
        try
        {
            int before, tries = 0;
            do
            {
                before = Volatile.Read(ref loads);
                first = panel.Current();
                again = panel.Current();
            }
            while (Volatile.Read(ref loads) != before && ++tries < 50);
        }
        finally
        {
            AppDomain.CurrentDomain.AssemblyLoad -= OnLoad;
        }

        Assert.Same(first, again);

        config["Shop:Name"] = "after";
        config.Reload();
        var second = panel.Current();
        Assert.NotSame(first, second);
        Assert.Equal("after", second.Values["Shop:Name"]);
    }

    [Fact]
    public async Task Sample_app_reports_environment_provider_versions_and_gc()
    {
        using var factory = new SampleAppFactory();
        var client = factory.CreateClient();
        var response = await client.GetAsync("/api/products");
        var config = await PanelDataAsync(client, ToolbarId(response), "config");
        Assert.Equal("Development", config.GetProperty("environment").GetString());
        var allowedHosts = config.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("key").GetString() == "AllowedHosts");
        Assert.Equal("*", allowedHosts.GetProperty("value").GetString());
        Assert.Equal("JSON file appsettings.json (optional)", allowedHosts.GetProperty("provider").GetString());

        var versions = config.GetProperty("versions");
        Assert.Equal(Environment.Version.ToString(), versions.GetProperty("dotnet").GetString());
        var efCore = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "Microsoft.EntityFrameworkCore");
        Assert.StartsWith(efCore.GetName().Version!.ToString(3), versions.GetProperty("efcore").GetString());
        var aspNetCore = typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.StartsWith(versions.GetProperty("aspnetcore").GetString()!, aspNetCore);
        Assert.Equal(GCSettings.IsServerGC, config.GetProperty("gc").GetProperty("serverGc").GetBoolean());
    }
}
