using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Clouddriver.Tests.TestHost;

namespace Delivery.Clouddriver.Tests.Operations;

/// <summary>Bad operations fail with a message that names the problem and leave running server groups as they were.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class BadInputTests(HostFixture fixture)
{
    private readonly ClouddriverHost _host = fixture.Host;

    [Fact]
    public async Task Bad_operations_are_refused_clearly_and_leave_running_server_groups_untouched()
    {
        var running = Ops.Name(await _host.OkAsync("createServerGroup", Ops.Hello("hellobad", null, "v1", 1)));
        var pid = (await _host.ServerGroupAsync("hellobad", running))["instances"]![0]!["pid"]!.GetValue<int>();

        var unknownAccount = Ops.Hello("hellobad", null, "v2", 1);
        unknownAccount["account"] = "nowhere";
        await ExpectAsync("createServerGroup", unknownAccount, 400, "Unknown account 'nowhere'");

        var minAboveMax = Ops.Hello("hellobad", null, "v2", 1);
        minAboveMax["capacity"] = new JsonObject { ["min"] = 3, ["max"] = 1, ["desired"] = 1 };
        await ExpectAsync("createServerGroup", minAboveMax, 400, "capacity.min (3) is greater than capacity.max (1)");

        var negative = Ops.Hello("hellobad", null, "v2", 1);
        negative["capacity"] = new JsonObject { ["min"] = 0, ["max"] = 1, ["desired"] = -1 };
        await ExpectAsync("createServerGroup", negative, 400, "must not be negative");

        await ExpectAsync("createServerGroup", Ops.Hello("hellobad", "bad-stack", "v2", 1), 400, "stack 'bad-stack'");
        await ExpectAsync("createServerGroup", Ops.Hello("hello bad", null, "v2", 1), 400, "application 'hello bad'");

        var exits = Ops.Hello("hellobad", "exits", "v2", 2);
        exits["artifact"] = new JsonObject { ["command"] = "/bin/sh", ["args"] = new JsonArray("-c", "echo cannot start >&2; exit 3") };
        var problem = await ExpectAsync("createServerGroup", exits, 422, "exited with code 3");
        Assert.Contains("cannot start", problem["detail"]!.GetValue<string>());
        Assert.DoesNotContain(await _host.GetArrayAsync("/applications/hellobad/serverGroups"), g => g!["cluster"]!.GetValue<string>() == "hellobad-exits");

        var missingCommand = Ops.Hello("hellobad", "missing", "v2", 1);
        missingCommand["artifact"] = new JsonObject { ["command"] = "/no/such/command" };
        await ExpectAsync("createServerGroup", missingCommand, 422, "Could not start '/no/such/command'");

        await ExpectAsync("createServerGroup", Ops.Hello("hellobad", null, "v2", 1, "hellobad-nolb"), 404, "Load balancer 'hellobad-nolb' does not exist");
        await ExpectAsync("deleteLoadBalancer", Ops.LoadBalancer("hellobad-nolb"), 404, "does not exist");
        await ExpectAsync("upsertLoadBalancer", Ops.LoadBalancer("hellobad-v001"), 400, "is not a load balancer name");
        await ExpectAsync("resizeServerGroup", new JsonObject { ["account"] = "local", ["serverGroupName"] = "hellobad-v999", ["capacity"] = new JsonObject { ["min"] = 0, ["max"] = 1, ["desired"] = 1 } }, 404, "'hellobad-v999' does not exist");
        await ExpectAsync("disableServerGroup", Ops.ServerGroup("hellobad"), 400, "is not a server group name");
        await ExpectAsync("terminateInstances", new JsonObject { ["account"] = "local", ["instanceIds"] = new JsonArray("hellobad-v000-i99") }, 404, "Instance 'hellobad-v000-i99' does not exist");

        // A message quoting a 300 KB name is cut: it must fit a problem answer and the reply a waiting stage keeps.
        var huge = await ExpectAsync("destroyServerGroup", new JsonObject { ["account"] = "local", ["serverGroupName"] = new string('a', 300_000) }, 400, "is not a server group name");
        var detail = huge["detail"]!.GetValue<string>();
        Assert.True(detail.Length < 4_200, $"the detail has {detail.Length} characters");
        Assert.Contains("… (295962 characters cut) …", detail);

        // Malformed HTTP input: problem+json naming the problem.
        await ExpectRawAsync("createServerGroup", "{not json", "is not valid JSON");
        await ExpectRawAsync("createServerGroup", "[1]", "must be a JSON object");
        await ExpectRawAsync("createServerGroup", """{"account":"local","application":"hellobad","artifact":{"command":"x"}}""", "capacity");
        await ExpectRawAsync("resizeServerGroup", """{"account":"local","serverGroupName":"hellobad-v000","capacty":{}}""", "capacty");
        using (var unknown = await _host.Http.PostAsync("/clouddriver/ops/explode", new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("Unknown operation type 'explode'", await unknown.Content.ReadAsStringAsync());
        }
        using (var badApp = await _host.Http.GetAsync("/applications/bad%20app/serverGroups"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badApp.StatusCode);
            Assert.Equal("application/problem+json", badApp.Content.Headers.ContentType?.MediaType);
        }

        var after = await _host.ServerGroupAsync("hellobad", running);
        Assert.Equal(pid, after["instances"]![0]!["pid"]!.GetValue<int>());
        Assert.Equal("Up", after["instances"]![0]!["health"]!.GetValue<string>());
        Assert.False(after["disabled"]!.GetValue<bool>());
        await _host.OkAsync("destroyServerGroup", Ops.ServerGroup(running));
    }

    private async Task<JsonObject> ExpectAsync(string type, JsonObject body, int status, string detail)
    {
        var (actual, reply, contentType) = await _host.OpAsync(type, body);
        Assert.True(actual == status, $"{type} answered {actual}, expected {status}: {reply.ToJsonString()}");
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains(detail, reply["detail"]!.GetValue<string>());
        return reply;
    }

    private async Task ExpectRawAsync(string type, string body, string detail)
    {
        using var response = await _host.Http.PostAsync($"/clouddriver/ops/{type}", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body} answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, JsonNode.Parse(text)!["detail"]!.GetValue<string>());
    }
}
