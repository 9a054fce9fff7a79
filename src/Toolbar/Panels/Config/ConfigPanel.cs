using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Primitives;

namespace Toolbar.Panels.Config;

/// <summary>
/// The config panel: environment, configuration providers in order, the effective value of every key and
/// the provider that set it (secrets masked), framework versions and GC mode. The data describes the app,
/// so it is computed once and shared by every record until the configuration reloads or an assembly loads.
/// </summary>
public sealed class ConfigPanel : ToolbarPanel<ConfigData>
{
    private readonly IConfiguration _configuration;
    private readonly IHostEnvironment _environment;
    private readonly SecretMasker _masker;
    private readonly Lock _lock = new();
    private SharedSnapshot<ConfigData>? _snapshot;
    private IChangeToken? _reloadToken;
    private int _stale = 1;

    /// <summary>Creates the panel.</summary>
    public ConfigPanel(IConfiguration configuration, IHostEnvironment environment, SecretMasker masker, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _configuration = configuration;
        _environment = environment;
        _masker = masker;
        AppDomain.CurrentDomain.AssemblyLoad += OnAssemblyLoad;
        services.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(() => AppDomain.CurrentDomain.AssemblyLoad -= OnAssemblyLoad);
    }

    /// <inheritdoc />
    public override string Id => "config";

    /// <inheritdoc />
    public override string Title => "Configuration";

    /// <inheritdoc />
    public override string NavTitle => "Config";

    /// <inheritdoc />
    public override Type? ViewType => typeof(ConfigPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets => [PanelAsset.Embedded<ConfigPanel>("config.css", "Toolbar.Panels.config.css")];

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context) =>
        // Shared: stores keep the snapshot once for every record that refers to it, not a copy per record.
        context.SetSharedData(CurrentShared());

    /// <inheritdoc />
    protected override string? GetNavSubtitle(ConfigData data) =>
        $"{data.Environment}, {data.Entries.Count.ToString(CultureInfo.InvariantCulture)} keys";

    /// <summary>The shared snapshot's data (see <see cref="CurrentShared"/>).</summary>
    internal ConfigData Current() => CurrentShared().Value;

    /// <summary>The shared snapshot, rebuilt when the configuration reloaded or assemblies were loaded since.</summary>
    internal SharedSnapshot<ConfigData> CurrentShared()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && Volatile.Read(ref _stale) == 0 && _reloadToken is { HasChanged: false })
        {
            return snapshot;
        }

        lock (_lock)
        {
            if (_snapshot is not null && _stale == 0 && _reloadToken is { HasChanged: false })
            {
                return _snapshot;
            }

            Volatile.Write(ref _stale, 0);
            // The token is taken before reading, so a reload during the read marks this snapshot stale.
            _reloadToken = _configuration.GetReloadToken();
            snapshot = new SharedSnapshot<ConfigData>(ConfigSnapshot.Build(_configuration, _environment, _masker));
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
    }

    private void OnAssemblyLoad(object? sender, AssemblyLoadEventArgs args) => Volatile.Write(ref _stale, 1);
}
