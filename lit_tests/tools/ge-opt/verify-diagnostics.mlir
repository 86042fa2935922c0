// RUN: GE_VERIFY_DIAG
// RUN: ge-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics 2>&1 | filecheck %s --check-prefix=NOTB
// RUN: not ge-opt %s --split-input-file 2>&1 | filecheck %s --check-prefix=FIRST

// With --split-input-file, --verify-diagnostics / --parsing-diagnostics print each chunk's
// diagnostic on stdout (valid chunks print their IR), keep going, and exit 0. Without them the
// first failing chunk ends the run: error on stderr, exit 1.

// CHECK: verify-diagnostics.mlir:[[# @LINE + 5]]:3: error: graph.softmax: axis 2 is out of range for rank 2
// CHECK-NEXT: {{^}}  %0 = graph.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
// FIRST: verify-diagnostics.mlir:[[# @LINE + 3]]:3: error: graph.softmax: axis 2 is out of range for rank 2
// FIRST-NOT: builtin.module
func.func @invalid_first(%x: tensor<2x3xf32>) {
  %0 = graph.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  func.return
}

// -----

// CHECK: {{^// [-]{5}$}}
// CHECK-NEXT: builtin.module {
// CHECK-NEXT:   func.func @valid_second(%x: tensor<2x3xf32>) {
// CHECK-NEXT:     %0 = graph.softmax %x : tensor<2x3xf32>
func.func @valid_second(%x: tensor<2x3xf32>) {
  %0 = graph.softmax %x {axis = -1 : i64} : tensor<2x3xf32>
  func.return
}

// -----

// CHECK: {{^// [-]{5}$}}
// CHECK-NEXT: error: Expected ':'
func.func @parse_error_third(%x: tensor<2x3xf32>) {
  %0 = graph.relu %x tensor<2x3xf32>
  func.return
}

// -----

// CHECK: {{^// [-]{5}$}}
// CHECK-NEXT: error: graph.weight: weight name must not be empty
func.func @invalid_fourth() {
  %0 = graph.weight "" : tensor<4xf32>
  func.return
}

// -----

// CHECK: {{^// [-]{5}$}}
// CHECK-NEXT: builtin.module {
// CHECK-NEXT:   func.func @valid_last
// CHECK-NOT: error:
func.func @valid_last(%x: tensor<2x3xf32>) {
  func.return
}

// NOTB-NOT: Traceback
