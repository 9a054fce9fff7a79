namespace Toolbar.Components;

/// <summary>A two-column table of names and values for panel views; masked values are marked.</summary>
public partial class KeyValueTable
{
}
