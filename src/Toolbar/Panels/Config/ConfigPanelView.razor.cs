namespace Toolbar.Panels.Config;

/// <summary>Renders <see cref="ConfigData"/>: environment, runtime, providers and a filterable table of values.</summary>
public partial class ConfigPanelView
{
}
