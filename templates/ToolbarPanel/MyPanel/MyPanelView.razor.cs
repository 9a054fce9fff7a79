namespace MyPanel;

/// <summary>Renders <see cref="MyPanelData"/>.</summary>
public partial class MyPanelView
{
}
