using Microsoft.AspNetCore.Http;

namespace Toolbar;

/// <summary>
/// Options of the debug toolbar. Bound from the <c>Toolbar</c> configuration section and then
/// from the delegate given to <c>AddDebugToolbar()</c> (or <see cref="Microsoft.Extensions.DependencyInjection.ToolbarCoreServiceCollectionExtensions.AddToolbarCore"/>).
/// </summary>
public sealed class ToolbarOptions
{
    /// <summary>Turns the whole toolbar on or off. Off means no middleware work and no endpoints.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>URL prefix of every toolbar endpoint and asset. Default <c>/_toolbar</c>.</summary>
    public string PathPrefix { get; set; } = "/_toolbar";

    /// <summary>How many finished requests the in-memory store keeps (oldest dropped first). Default 100.</summary>
    public int MaxRequests { get; set; } = 100;

    /// <summary>Upper bound of the estimated size of all stored records, in bytes. Default 64 MiB.</summary>
    public long MaxStoreBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Whether responses that are assets (static files, <c>_framework/*</c> and <c>_content/*</c> files, styles,
    /// scripts, images, fonts, media, source maps) are stored. Default <c>false</c>: a page loading a hundred
    /// files keeps its own record. When on, assets are kept in their own bound (<see cref="MaxAssetRequests"/>),
    /// so they never evict pages or their fetch/XHR calls.
    /// </summary>
    public bool StoreAssets { get; set; }

    /// <summary>How many asset records the in-memory store keeps when <see cref="StoreAssets"/> is on. Default 50.</summary>
    public int MaxAssetRequests { get; set; } = 50;

    /// <summary>
    /// In Development, an exception that escapes the app is shown by the developer exception page run inside the
    /// toolbar (the page the app shows there anyway), so that page carries the toolbar, opened on the exceptions
    /// panel, and the page's own log record is in the request's logs. Default <c>true</c>; ignored outside Development.
    /// </summary>
    public bool DeveloperExceptionPage { get; set; } = true;

    /// <summary>
    /// Names of assemblies that are the app's own code although the default rule would not say so (see <see cref="AppCode"/>),
    /// e.g. <c>Toolbar:AppAssemblies:0=Contoso.Plugins</c>.
    /// </summary>
    public List<string> AppAssemblies { get; } = [];

    /// <summary>Names of assemblies that are never the app's own code, although built with it (e.g. a vendored library).</summary>
    public List<string> NonAppAssemblies { get; } = [];

    /// <summary>
    /// Link template that opens an app frame in the editor: <c>{file}</c>, <c>{line}</c> and <c>{column}</c> are filled in.
    /// Default <c>vscode://file/{file}:{line}:{column}</c>; empty turns the links off.
    /// </summary>
    public string? EditorUrl { get; set; } = "vscode://file/{file}:{line}:{column}";

    /// <summary>
    /// Decides whether a request may see the toolbar. <c>null</c> (default) means: the host
    /// environment is Development and the client connected from a loopback address.
    /// The predicate replaces that default entirely, so keep it at least as strict.
    /// </summary>
    public Func<HttpContext, bool>? ShowToolbar { get; set; }

    /// <summary>
    /// Host names, besides the loopback ones, under which the toolbar answers (bound from <c>Toolbar:AllowedHosts</c>).
    /// The toolbar only answers and injects when the request's <c>Host</c> is <c>localhost</c>, <c>*.localhost</c>,
    /// an address in 127.0.0.0/8 or <c>[::1]</c> (any port), so a site whose name resolves to 127.0.0.1 (DNS
    /// rebinding) cannot read it. Add the name you browse your dev box by (<c>devbox.lan</c>, <c>*.test</c>);
    /// <c>*</c> turns the check off. This never widens who may connect (see <see cref="ShowToolbar"/>).
    /// </summary>
    public List<string> AllowedHosts { get; } = [];

    /// <summary>Panels in toolbar order. Built-in panels are added first; add yours with <see cref="PanelCollection.Add{TPanel}"/>.</summary>
    public PanelCollection Panels { get; } = new();

    /// <summary>Ids of panels that are registered but switched off (e.g. <c>Toolbar:DisabledPanels:0=memory</c>).</summary>
    public HashSet<string> DisabledPanels { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Which store keeps records: <c>memory</c> (default), <c>redis</c> (uses <see cref="Redis"/>), or <c>distributed</c>
    /// (the <c>IDistributedCache</c> the app registered).
    /// </summary>
    public string Store { get; set; } = "memory";

    /// <summary>Redis configuration string (e.g. <c>127.0.0.1:6379</c>) used when <see cref="Store"/> is <c>redis</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>How long a record lives in a distributed store. Default one hour.</summary>
    public TimeSpan RecordLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Parts of names (headers, cookies, form fields, configuration keys, SQL parameters) whose values are
    /// masked everywhere the toolbar shows them. Matching is case-insensitive and by substring.
    /// </summary>
    public List<string> SecretNames { get; } =
    [
        "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "connectionstring",
        "authorization", "cookie", "credential", "privatekey", "private_key", "key", "securitystamp",
    ];

    /// <summary>
    /// Longest value, in characters, a record keeps of one form field, header, cookie, query value or log message
    /// (bound from <c>Toolbar:MaxValueLength</c>). A longer value is cut and ends with its true length, e.g.
    /// <c>…[4194304 chars]</c>. Default 8192.
    /// </summary>
    public int MaxValueLength { get; set; } = 8192;

    /// <summary>Whether the startup warning about a toolbar enabled outside Development is suppressed.</summary>
    public bool SuppressEnvironmentWarning { get; set; }

    internal string NormalizedPrefix => "/" + PathPrefix.Trim('/');
}
