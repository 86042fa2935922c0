// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.batch_matmul: equal ranks >= 3 and equal batch dims; transposes; dynamic batch.

// CHECK-LABEL: func.func @batch_matmul(%a: tensor<8x4x16xf32>, %b: tensor<8x16x32xf32>, %bt: tensor<8x32x16xf32>, %at: tensor<8x16x4xf32>) {
// CHECK-NEXT: %0 = graph.batch_matmul %a, %b : tensor<8x4x16xf32>, tensor<8x16x32xf32> -> tensor<8x4x32xf32>
// CHECK-NEXT: %1 = graph.batch_matmul %a, %bt {transpose_b} : tensor<8x4x16xf32>, tensor<8x32x16xf32> -> tensor<8x4x32xf32>
// CHECK-NEXT: %2 = graph.batch_matmul %at, %b {transpose_a} : tensor<8x16x4xf32>, tensor<8x16x32xf32> -> tensor<8x4x32xf32>
// CHECK-NEXT: %3 = graph.batch_matmul %at, %bt {transpose_a, transpose_b} : tensor<8x16x4xf32>, tensor<8x32x16xf32> -> tensor<8x4x32xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "batch_matmul"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<8x4x16xf32>, %b: tensor<8x16x32xf32>, %bt: tensor<8x32x16xf32>, %at: tensor<8x16x4xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.batch_matmul"(%a, %b) : (tensor<8x4x16xf32>, tensor<8x16x32xf32>) -> tensor<8x4x32xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.batch_matmul"(%a, %bt) <{transpose_b}> : (tensor<8x4x16xf32>, tensor<8x32x16xf32>) -> tensor<8x4x32xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.batch_matmul"(%at, %b) <{transpose_a}> : (tensor<8x16x4xf32>, tensor<8x16x32xf32>) -> tensor<8x4x32xf32>
// CHECK-GENERIC-NEXT: %3 = "graph.batch_matmul"(%at, %bt) <{transpose_a, transpose_b}> : (tensor<8x16x4xf32>, tensor<8x32x16xf32>) -> tensor<8x4x32xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @batch_matmul(%a: tensor<8x4x16xf32>, %b: tensor<8x16x32xf32>, %bt: tensor<8x32x16xf32>, %at: tensor<8x16x4xf32>) {
  %0 = graph.batch_matmul %a, %b : tensor<8x4x16xf32>, tensor<8x16x32xf32> -> tensor<8x4x32xf32>
  %1 = graph.batch_matmul %a, %bt {transpose_b} : tensor<8x4x16xf32>, tensor<8x32x16xf32> -> tensor<8x4x32xf32>
  %2 = graph.batch_matmul %at, %b {transpose_a} : tensor<8x16x4xf32>, tensor<8x16x32xf32> -> tensor<8x4x32xf32>
  %3 = graph.batch_matmul %at, %bt {transpose_a, transpose_b} : tensor<8x16x4xf32>, tensor<8x32x16xf32> -> tensor<8x4x32xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @batch_matmul_attention(%q: tensor<?x12x77x64xf16>, %k: tensor<?x12x77x64xf16>) -> tensor<?x12x77x77xf16> {
// CHECK-NEXT: %0 = graph.batch_matmul %q, %k {transpose_b} : tensor<?x12x77x64xf16>, tensor<?x12x77x64xf16> -> tensor<?x12x77x77xf16>
// CHECK-NEXT: func.return %0 : tensor<?x12x77x77xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "batch_matmul_attention"
// CHECK-GENERIC-NEXT: ^bb0(%q: tensor<?x12x77x64xf16>, %k: tensor<?x12x77x64xf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.batch_matmul"(%q, %k) <{transpose_b}> : (tensor<?x12x77x64xf16>, tensor<?x12x77x64xf16>) -> tensor<?x12x77x77xf16>
// CHECK-GENERIC-NEXT: "func.return"(%0) : (tensor<?x12x77x77xf16>) -> ()
func.func @batch_matmul_attention(%q: tensor<?x12x77x64xf16>, %k: tensor<?x12x77x64xf16>) -> tensor<?x12x77x77xf16> {
  %0 = graph.batch_matmul %q, %k {transpose_b} : tensor<?x12x77x64xf16>, tensor<?x12x77x64xf16> -> tensor<?x12x77x77xf16>
  func.return %0 : tensor<?x12x77x77xf16>
}

// -----

// CHECK-LABEL: func.func @batch_matmul_dynamic_batch(%a: tensor<?x4x16xbf16>, %b: tensor<8x16x32xbf16>) {
// CHECK-NEXT: %0 = graph.batch_matmul %a, %b : tensor<?x4x16xbf16>, tensor<8x16x32xbf16> -> tensor<8x4x32xbf16>
// CHECK-NEXT: %1 = graph.batch_matmul %a, %b : tensor<?x4x16xbf16>, tensor<8x16x32xbf16> -> tensor<?x4x32xbf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "batch_matmul_dynamic_batch"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<?x4x16xbf16>, %b: tensor<8x16x32xbf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.batch_matmul"(%a, %b) : (tensor<?x4x16xbf16>, tensor<8x16x32xbf16>) -> tensor<8x4x32xbf16>
// CHECK-GENERIC-NEXT: %1 = "graph.batch_matmul"(%a, %b) : (tensor<?x4x16xbf16>, tensor<8x16x32xbf16>) -> tensor<?x4x32xbf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @batch_matmul_dynamic_batch(%a: tensor<?x4x16xbf16>, %b: tensor<8x16x32xbf16>) {
  %0 = graph.batch_matmul %a, %b : tensor<?x4x16xbf16>, tensor<8x16x32xbf16> -> tensor<8x4x32xbf16>
  %1 = graph.batch_matmul %a, %b : tensor<?x4x16xbf16>, tensor<8x16x32xbf16> -> tensor<?x4x32xbf16>
  func.return
}
