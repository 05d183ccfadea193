using Delivery.CanaryJudge;
using Delivery.CanaryJudge.Stages;
using Delivery.Clouddriver;
using Delivery.Clouddriver.Stages;
using Delivery.Echo;
using Delivery.Gate;
using Delivery.Orchestrator;
using Delivery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOrchestrator();
builder.Services.AddClouddriverStages();
builder.Services.AddCanaryJudgeStages();
builder.AddGate();
builder.AddClouddriver();
builder.AddCanaryJudge();
builder.AddEcho();
builder.AddDeliveryBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapGate();
app.MapClouddriver();
app.MapCanaryJudge();
app.MapEcho();
app.Run();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
