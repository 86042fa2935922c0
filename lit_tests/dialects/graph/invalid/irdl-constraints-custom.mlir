// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s
// RUN: not ge-opt %s 2>&1 | filecheck %s --check-prefix=STDERR

// IRDL constraint failures written in the custom form. The declarative format checks the
// constraint variables while parsing, so the failure surfaces during parsing rather than in the
// verifier; it must still be a located diagnostic, printed per chunk with --verify-diagnostics
// (the remaining chunks still processed), and a located error on stderr with exit 1 otherwise.

// STDERR: irdl-constraints-custom.mlir:[[# @LINE + 4]]:{{[0-9]+}}: error: {{.*}}Unexpected attribute i32
// STDERR-NOT: Traceback
func.func @relu_on_int(%x: tensor<4xi32>) {
// CHECK: irdl-constraints-custom.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: {{.*}}Unexpected attribute i32
  %0 = graph.relu %x : tensor<4xi32>
  func.return
}

// -----

func.func @softmax_on_int(%x: tensor<4xi64>) {
// CHECK: error: {{.*}}Unexpected attribute i64
  %0 = graph.softmax %x : tensor<4xi64>
  func.return
}

// -----

func.func @where_cond_i8(%c: tensor<4xi8>, %a: tensor<4xf32>) {
// CHECK: error: {{.*}}Expected attribute i1 but got i8
  %0 = graph.where %c, %a, %a : (tensor<4xi8>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return
}

// -----

func.func @matmul_on_int(%a: tensor<2x2xi8>) {
// CHECK: error: {{.*}}Unexpected attribute i8
  %0 = graph.matmul %a, %a : tensor<2x2xi8>, tensor<2x2xi8> -> tensor<2x2xi8>
  func.return
}

// -----

// CHECK: func.func @still_processed
func.func @still_processed(%x: tensor<4xf32>) {
  %0 = graph.relu %x : tensor<4xf32>
  func.return
}

// -----

func.func @softmax_axis_i32(%x: tensor<2x3xf32>) {
// CHECK: error: {{.*}}Expected attribute i64 but got i32
  %0 = graph.softmax %x {axis = 1 : i32} : tensor<2x3xf32>
  func.return
}

// -----

func.func @rms_norm_epsilon_int(%x: tensor<4x16xf32>, %w: tensor<16xf32>) {
// CHECK: error: {{.*}}1 : i64 should be of base attribute float
  %0 = graph.rms_norm %x, %w {epsilon = 1 : i64} : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  func.return
}

// -----

// CHECK: func.func @processed_last
func.func @processed_last(%x: tensor<4xf32>) {
  %0 = graph.relu %x : tensor<4xf32>
  func.return
}
