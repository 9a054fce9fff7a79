namespace Toolbar;

/// <summary>
/// Creates the record store named by <see cref="ToolbarOptions.Store"/> (e.g. <c>redis</c>). Register one as a
/// service (<c>services.AddSingleton&lt;IToolbarStoreProvider, MyProvider&gt;()</c>) to add a store. The
/// <c>Toolbar.Redis</c> package's provider is found without registration when the package is referenced, so
/// <c>Toolbar__Store=redis</c> alone selects it.
/// </summary>
public interface IToolbarStoreProvider
{
    /// <summary>The store name this provider answers to (compared case-insensitively), e.g. <c>redis</c>.</summary>
    string Name { get; }

    /// <summary>Creates the store, once per app. Throw <see cref="InvalidOperationException"/> with a clear message for missing settings.</summary>
    /// <param name="services">The app's services.</param>
    IToolbarStore Create(IServiceProvider services);
}
