// RUN: not ge-opt %s 2>&1 | filecheck %s
// RUN: ge-opt %s --allow-unregistered-dialect | filecheck %s --check-prefix=ALLOW

// Ops of unknown dialects are errors unless --allow-unregistered-dialect, which keeps them in
// generic form next to verified graph ops.

// CHECK-NOT: Traceback
// CHECK: unregistered-dialect.mlir:[[# @LINE + 9]]:{{[0-9]+}}: error: Operation foo.bar is not registered
// CHECK-NOT: Traceback

// ALLOW-LABEL: func.func @mixed
// ALLOW-NEXT: %0 = graph.relu %x : tensor<4xf32>
// ALLOW-NEXT: %1 = "foo.bar"(%0) {k = 1 : i64} : (tensor<4xf32>) -> tensor<4xf32>
// ALLOW-NEXT: func.return %1 : tensor<4xf32>
func.func @mixed(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.relu %x : tensor<4xf32>
  %1 = "foo.bar"(%0) {k = 1 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  func.return %1 : tensor<4xf32>
}
