// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.weight: a non-empty name and a static shape.

func.func @empty_name() {
// CHECK: {{.*}}weight.mlir:[[# @LINE + 2]]:3: error: graph.weight: weight name must not be empty
// CHECK-NEXT: %0 = graph.weight "" : tensor<4xf32>
  %0 = graph.weight "" : tensor<4xf32>
  func.return
}

// -----

func.func @dynamic_shape() {
// CHECK: error: graph.weight: a weight must have a static shape
  %0 = graph.weight "w" : tensor<?x768xf16>
  func.return
}

// -----

func.func @name_not_a_string() {
// CHECK: error: {{.*}}3 : i64 should be of base attribute string
  %0 = "graph.weight"() <{weight_name = 3 : i64}> : () -> tensor<4xf32>
  func.return
}

// -----

func.func @missing_name() {
// CHECK: error: {{.*}}property 'weight_name' expected in operation 'graph.weight'
  %0 = "graph.weight"() : () -> tensor<4xf32>
  func.return
}
