using Microsoft.AspNetCore.Mvc;

namespace Toolbar.Tests.Panels.Routes;

/// <summary>A controller for the route map and tester tests; each action answers with its own name.</summary>
[ApiController]
[Route("api/widgets")]
public sealed class WidgetsController : ControllerBase
{
    [HttpGet(Name = "widgets-list")]
    public string List() => Named("widgets-list");

    [HttpGet("{id:int}", Name = "widgets-get")]
    public string Get(int id) => Named("widgets-get");

    [HttpPost(Name = "widgets-create")]
    public string Create() => Named("widgets-create");

    private string Named(string name)
    {
        Response.Headers["X-Endpoint"] = name;
        return name;
    }
}
