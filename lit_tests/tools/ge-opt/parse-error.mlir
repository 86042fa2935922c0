// RUN: not ge-opt %s 2>&1 | filecheck %s
// RUN: not ge-opt < %s 2>&1 | filecheck %s --check-prefix=STDIN

// A syntax error: file:line:col, the message, then the source line and a caret under the token;
// exit 1 and no traceback. Input read from stdin is named "stdin".

// CHECK-NOT: Traceback
// CHECK: parse-error.mlir:[[# @LINE + 6]]:22: error: Expected ':'
// CHECK-NEXT: {{^}}  %0 = graph.relu %x tensor<4xf32>
// CHECK-NEXT: {{^}}                     ^^^^^^
// CHECK-NOT: Traceback
// STDIN: stdin:[[# @LINE + 2]]:22: error: Expected ':'
func.func @missing_colon(%x: tensor<4xf32>) {
  %0 = graph.relu %x tensor<4xf32>
  func.return
}
