using Delivery.CanaryJudge.Stages;
using Delivery.Clouddriver.Kubernetes.Stages;
using Delivery.Clouddriver.Stages;
using Delivery.Orchestrator;
using Delivery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOrchestrator();
builder.Services.AddClouddriverStages().AddKubernetesStages();
builder.Services.AddCanaryJudgeStages();
builder.AddDeliveryBus();

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
