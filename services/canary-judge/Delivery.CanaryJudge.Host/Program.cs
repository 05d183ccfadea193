using Delivery.CanaryJudge;
using Delivery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCanaryJudge();
builder.AddDeliveryBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapCanaryJudge();
app.Run();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
