using Microsoft.Extensions.DependencyInjection;

namespace Toolbar.Internal;

internal sealed class ToolbarBuilder(IServiceCollection services) : IToolbarBuilder
{
    public IServiceCollection Services { get; } = services;
}
